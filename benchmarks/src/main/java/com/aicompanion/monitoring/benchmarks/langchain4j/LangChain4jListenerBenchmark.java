package com.aicompanion.monitoring.benchmarks.langchain4j;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.langchain4j.LangChain4jMonitoring;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LangChain4j chat call with the monitoring listener against the same call without it, two
 * ways: LangChain4j's OpenAI client against an OpenAI-compatible JDK {@code HttpServer} on loopback
 * (the realistic ratio: a real request, JSON both ways), and an in-process {@code ChatModel} stub
 * that answers at once (the listener's absolute cost, with nothing to hide it). Metrics only (no
 * tracing): the span cost is {@code GenAiSpanBenchmark}'s.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LangChain4jListenerBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// the JDK HttpServer writes headers and body apart: without TCP_NODELAY every call waits out a
// delayed ACK (~40 ms), which would hide everything else; set for the forked benchmark JVM only
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class LangChain4jListenerBenchmark {
  private static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,"
          + "\"total_tokens\":17}}";

  private HttpServer server;
  private ExecutorService serverThreads;
  private PrometheusMeterRegistry registry;
  private ChatModel plainHttp;
  private ChatModel monitoredHttp;
  private ChatModel noOpHttp;
  private ChatModel plainStub;
  private ChatModel monitoredStub;

  @Setup
  public void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Monitor monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
    ChatModelListener listener = LangChain4jMonitoring.listener(monitor);
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    plainHttp = openAi(baseUrl, List.of());
    monitoredHttp = openAi(baseUrl, List.of(listener));
    noOpHttp = openAi(baseUrl, List.of(new ChatModelListener() {}));
    plainStub = new Stub(List.of());
    monitoredStub = new Stub(List.of(listener));
  }

  private static ChatModel openAi(String baseUrl, List<ChatModelListener> listeners) {
    return OpenAiChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey("bench")
        .modelName("gpt-4o")
        .maxRetries(0)
        .listeners(listeners)
        .build();
  }

  @TearDown
  public void tearDown() {
    server.stop(0);
    serverThreads.shutdownNow();
    registry.close();
  }

  /** LangChain4j's OpenAI client over loopback HTTP, no listener. */
  @Benchmark
  public String openAiLoopbackWithoutListener() {
    return plainHttp.chat("Hello?");
  }

  /** The same, with the monitoring listener. */
  @Benchmark
  public String openAiLoopbackWithListener() {
    return monitoredHttp.chat("Hello?");
  }

  /**
   * The same with a listener that does nothing: what LangChain4j's listener plumbing costs by
   * itself, the floor for any listener.
   */
  @Benchmark
  public String openAiLoopbackWithNoOpListener() {
    return noOpHttp.chat("Hello?");
  }

  /** An in-process model that answers at once, no listener. */
  @Benchmark
  public String stubWithoutListener() {
    return plainStub.chat("Hello?");
  }

  /** The same, with the monitoring listener. */
  @Benchmark
  public String stubWithListener() {
    return monitoredStub.chat("Hello?");
  }

  /** A ChatModel answering from memory, through LangChain4j's own listener plumbing. */
  private static final class Stub implements ChatModel {
    private static final ChatResponse RESPONSE =
        ChatResponse.builder()
            .aiMessage(AiMessage.from("Hi"))
            .modelName("gpt-4o")
            .tokenUsage(new TokenUsage(12, 5))
            .build();

    private final List<ChatModelListener> listeners;

    Stub(List<ChatModelListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      return RESPONSE;
    }

    @Override
    public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }
  }
}
