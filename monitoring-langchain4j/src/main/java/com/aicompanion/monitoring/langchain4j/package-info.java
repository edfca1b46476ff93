/**
 * The API of monitoring-langchain4j: {@link
 * com.aicompanion.monitoring.langchain4j.LangChain4jMonitoring}, LangChain4j listeners that record
 * every chat, streaming chat and embedding call through {@code monitor.llm()}.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.langchain4j.internal}, which is not API: its public classes
 * serve other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.langchain4j;

import org.jspecify.annotations.NullMarked;
