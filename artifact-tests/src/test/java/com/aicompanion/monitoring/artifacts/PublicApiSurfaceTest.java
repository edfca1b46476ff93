package com.aicompanion.monitoring.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.util.internal.logging.InternalLogger;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * API packages versus internal packages: no public signature of a published module's API (a public
 * or protected member, superclass or interface of an accessible class outside an {@code internal}
 * package) mentions a type from an {@code internal} package, ours or a library's. Internal classes
 * may be public so that another package of the same module can use them; users never get one
 * through the API.
 */
class PublicApiSurfaceTest {

  @Test
  void noPublicSignatureOfAnApiPackageExposesAnInternalType() {
    Set<String> violations = new TreeSet<>();
    Map<String, Integer> checked = new LinkedHashMap<>();
    for (Map.Entry<String, Path> module : publishedClassRoots().entrySet()) {
      int count = 0;
      for (String name : classNames(module.getValue())) {
        if (isInternal(packageOf(name))) {
          continue;
        }
        Class<?> type = load(name);
        if (!isAccessible(type)) {
          continue;
        }
        count++;
        violations.addAll(exposures(type));
      }
      checked.put(module.getKey(), count);
    }

    assertThat(checked)
        .as("API classes checked per published module")
        .allSatisfy((m, n) -> assertThat(n).as(m).isPositive());
    assertThat(violations).as("public signatures that expose an internal type").isEmpty();
  }

  @Test
  void everyApiPackageIsNullMarked() {
    Set<String> apiPackages = new TreeSet<>();
    for (Path root : publishedClassRoots().values()) {
      for (String name : classNames(root)) {
        String pkg = packageOf(name);
        if (!isInternal(pkg) && isAccessible(load(name))) {
          apiPackages.add(pkg);
        }
      }
    }

    assertThat(apiPackages)
        .contains(
            "com.aicompanion.monitoring",
            "com.aicompanion.monitoring.logging",
            "com.aicompanion.monitoring.tracing",
            "com.aicompanion.monitoring.health",
            "com.aicompanion.monitoring.langchain4j",
            "com.aicompanion.monitoring.jdbc",
            "com.aicompanion.monitoring.otlp",
            "com.aicompanion.monitoring.http")
        .allSatisfy(
            pkg ->
                assertThat(load(pkg + ".package-info").isAnnotationPresent(NullMarked.class))
                    .as("%s/package-info.java has @NullMarked", pkg)
                    .isTrue());
  }

  @Test
  void theCheckFindsAnInternalTypeInsideAGenericReturnType() {
    assertThat(exposures(Leaky.class))
        .singleElement()
        .asString()
        .contains("Leaky#loggers() returns ")
        .endsWith("io.micrometer.common.util.internal.logging.InternalLogger");
  }

  /** A stand-in for an API class whose method lets an internal type out. */
  public static final class Leaky {
    public List<? extends InternalLogger> loggers() {
      return List.of();
    }

    InternalLogger packagePrivateIsFine() {
      return null;
    }
  }

  /**
   * Every published module (monitoring-bom's entries) mapped to its classes on the test classpath.
   */
  private static Map<String, Path> publishedClassRoots() {
    Map<String, Path> roots = new LinkedHashMap<>();
    List<String> published = Reactor.bomArtifacts();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String module = moduleOf(path);
      if (published.contains(module)) {
        roots.put(module, path);
      }
    }
    assertThat(roots.keySet())
        .as("published modules on artifact-tests' classpath (add a new one as a dependency)")
        .containsExactlyInAnyOrderElementsOf(published);
    return roots;
  }

  /** target/classes of a reactor module, or a jar carrying our Maven descriptor. */
  private static String moduleOf(Path path) {
    if (Files.isDirectory(path)) {
      Path target = path.getParent();
      return target == null || target.getParent() == null
          ? ""
          : target.getParent().getFileName().toString();
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        String prefix = "META-INF/maven/" + Reactor.GROUP + "/";
        if (n.startsWith(prefix) && n.endsWith("/pom.properties")) {
          return n.substring(prefix.length(), n.length() - "/pom.properties".length());
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> classNames(Path root) {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".class"))
            .forEach(
                f ->
                    names.add(
                        className(root.relativize(f).toString().replace(File.separatorChar, '/'))));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root, e);
      }
    } else {
      try (JarFile jar = new JarFile(root.toFile())) {
        jar.stream()
            .map(JarEntry::getName)
            .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
            .forEach(n -> names.add(className(n)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root, e);
      }
    }
    names.removeIf(n -> n.endsWith(".package-info") || n.equals("module-info"));
    return names;
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, PublicApiSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new AssertionError(
          "API class " + name + " cannot be loaded with the module's own dependencies: " + e, e);
    }
  }

  /** Public, or protected, all the way out: a user can name it. */
  private static boolean isAccessible(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    int m = type.getModifiers();
    if (!Modifier.isPublic(m) && !Modifier.isProtected(m)) {
      return false;
    }
    return type.getEnclosingClass() == null || isAccessible(type.getEnclosingClass());
  }

  private static List<String> exposures(Class<?> type) {
    List<String> found = new ArrayList<>();
    String where = type.getName();
    check(found, where + " extends ", type.getGenericSuperclass());
    for (Type i : type.getGenericInterfaces()) {
      check(found, where + " implements ", i);
    }
    for (TypeVariable<?> v : type.getTypeParameters()) {
      for (Type b : v.getBounds()) {
        check(found, where + " type parameter " + v.getName() + " bound ", b);
      }
    }
    boolean subclassable = !Modifier.isFinal(type.getModifiers());
    for (Field f : type.getDeclaredFields()) {
      if (visible(f, subclassable)) {
        check(found, where + "#" + f.getName() + " has type ", f.getGenericType());
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visible(c, subclassable)) {
        checkExecutable(found, where + "#<init>" + params(c), c);
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (visible(m, subclassable) && !m.isSynthetic() && !m.isBridge()) {
        String sig = where + "#" + m.getName() + params(m);
        check(found, sig + " returns ", m.getGenericReturnType());
        checkExecutable(found, sig, m);
      }
    }
    return found;
  }

  private static boolean visible(Member member, boolean subclassable) {
    int m = member.getModifiers();
    return Modifier.isPublic(m) || (subclassable && Modifier.isProtected(m));
  }

  private static String params(Executable e) {
    StringBuilder s = new StringBuilder("(");
    for (Class<?> p : e.getParameterTypes()) {
      s.append(s.length() > 1 ? ", " : "").append(p.getSimpleName());
    }
    return s.append(')').toString();
  }

  private static void checkExecutable(List<String> found, String sig, Executable e) {
    for (Type p : e.getGenericParameterTypes()) {
      check(found, sig + " takes ", p);
    }
    for (Type x : e.getGenericExceptionTypes()) {
      check(found, sig + " throws ", x);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      for (Type b : v.getBounds()) {
        check(found, sig + " type parameter " + v.getName() + " bound ", b);
      }
    }
  }

  private static void check(List<String> found, String what, Type type) {
    Set<String> internal = new TreeSet<>();
    collectInternal(type, internal, new HashSet<>());
    for (String name : internal) {
      found.add(what + name);
    }
  }

  private static void collectInternal(Type type, Set<String> internal, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (isInternal(packageOf(c.getName()))) {
        internal.add(c.getName());
      }
    } else if (type instanceof ParameterizedType p) {
      collectInternal(p.getRawType(), internal, seen);
      collectInternal(p.getOwnerType(), internal, seen);
      for (Type a : p.getActualTypeArguments()) {
        collectInternal(a, internal, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        collectInternal(b, internal, seen);
      }
      for (Type b : w.getLowerBounds()) {
        collectInternal(b, internal, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      collectInternal(a.getGenericComponentType(), internal, seen);
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        collectInternal(b, internal, seen);
      }
    }
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  private static boolean isInternal(String packageName) {
    return packageName.equals("internal")
        || packageName.startsWith("internal.")
        || packageName.contains(".internal.")
        || packageName.endsWith(".internal");
  }
}
