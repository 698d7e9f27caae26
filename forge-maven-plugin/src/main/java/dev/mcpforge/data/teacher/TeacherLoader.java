package dev.mcpforge.data.teacher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Builds the teacher's isolated class loader from a list of jars (openai-java and its runtime dependencies, as
 * GenerateMojo resolved them) and instantiates the openai-java adapter in it. No Maven types: tests feed it the jars
 * of the test class path.
 *
 * <p>Why: openai-java 4.101 weighs about 81 MB of jars (a 75 MB core jar, Kotlin, okhttp, Jackson 2.18); every user
 * of the plugin would download them as plugin dependencies, although the default synthesizer is offline. So the
 * plugin only compiles against openai-java ({@code provided}) and resolves it at run time, when
 * {@code forge.teacher=openai}, the way Maven plugins resolve tool artifacts (docs/notes/g.md).</p>
 *
 * <p>Loading rules of {@link IsolatedClassLoader}: the adapter package ({@value #ADAPTER_PACKAGE}) comes only from
 * this loader (the plugin's location is one of its URLs), so it links against the SDK jars; the shared API
 * ({@code dev.mcpforge.*} outside the adapter package, {@code org.slf4j}, the JDK) comes parent-first from the
 * plugin, so {@link ChatCompletions} and {@link TeacherException} are the plugin's own classes; everything else
 * (Jackson 2, Kotlin, okhttp, ...) is child-first, so the SDK gets the Jackson 2.18 it was built for even though the
 * plugin realm carries jackson-annotations 2.21 (a dependency of Jackson 3).</p>
 */
public final class TeacherLoader {

    /** Package of the adapter classes that must be loaded next to openai-java. */
    public static final String ADAPTER_PACKAGE = "dev.mcpforge.data.teacher.openai.";
    /** The openai-java implementation of {@link ChatCompletions}; public constructor taking a {@link TeacherConfig}. */
    public static final String ADAPTER_CLASS = ADAPTER_PACKAGE + "OpenAiJavaChatCompletions";

    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.",
            "org.xml.", "org.ietf.", "org.slf4j.", "dev.mcpforge.");

    private TeacherLoader() {
    }

    /** A loaded teacher: the client and the loader that holds its classes. Closing closes both. */
    public record Loaded(ChatCompletions client, URLClassLoader loader) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                if (client instanceof AutoCloseable c) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IOException("closing the teacher client: " + e.getMessage(), e);
            } finally {
                loader.close();
            }
        }
    }

    /** The openai-java version this plugin was compiled against (filtered into openai-java.properties). */
    public static String sdkVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = TeacherLoader.class.getResourceAsStream("openai-java.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openai-java.properties from the plugin: " + e.getMessage());
        }
        String v = p.getProperty("version");
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException("the plugin jar lacks the openai-java version (openai-java.properties)");
        }
        return v.strip();
    }

    /** Where the plugin's classes are (its jar in the local repository, or target/classes in a build). */
    public static Path pluginLocation() {
        try {
            return Path.of(TeacherLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the plugin's classes are: " + e);
        }
    }

    /**
     * The class loader: URLs are {@code sdkJars} plus {@code pluginLocation}; parent is the plugin's loader.
     *
     * @throws IllegalArgumentException when a jar does not exist
     */
    public static IsolatedClassLoader loader(List<Path> sdkJars, Path pluginLocation, ClassLoader parent) {
        List<URL> urls = new ArrayList<>();
        List<Path> all = new ArrayList<>(sdkJars);
        all.add(pluginLocation);
        for (Path p : all) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("teacher class path entry " + p + " does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("teacher class path entry " + p + ": " + e.getMessage());
            }
        }
        return new IsolatedClassLoader(urls.toArray(URL[]::new), parent);
    }

    /**
     * Builds the loader and instantiates the adapter through it.
     *
     * @throws IllegalStateException when the jars do not hold a usable openai-java (missing class, wrong version)
     */
    public static Loaded load(List<Path> sdkJars, Path pluginLocation, TeacherConfig config) {
        return load(sdkJars, pluginLocation, config, TeacherLoader.class.getClassLoader());
    }

    /** As {@link #load(List, Path, TeacherConfig)} with an explicit parent (the plugin's loader). */
    public static Loaded load(List<Path> sdkJars, Path pluginLocation, TeacherConfig config, ClassLoader parent) {
        IsolatedClassLoader loader = loader(sdkJars, pluginLocation, parent);
        try {
            Class<?> c = Class.forName(ADAPTER_CLASS, true, loader);
            Object o = c.getConstructor(TeacherConfig.class).newInstance(config);
            return new Loaded((ChatCompletions) o, loader);
        } catch (InvocationTargetException e) {
            close(loader);
            Throwable t = e.getCause();
            throw new IllegalStateException("the openai-java teacher client could not be created: "
                    + config.redact(String.valueOf(t)), t);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            close(loader);
            throw new IllegalStateException("the resolved openai-java jars are not usable (" + config.redact(e.toString())
                    + "); class path: " + sdkJars, e);
        }
    }

    private static void close(URLClassLoader l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // nothing was loaded from it that outlives this call
        }
    }

    /** True for classes the adapter shares with the plugin (parent-first). */
    static boolean shared(String className) {
        if (className.startsWith(ADAPTER_PACKAGE)) {
            return false;
        }
        for (String p : SHARED) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Child-first for the adapter and the SDK, parent-first for the shared API (see the class comment). Hand-written:
     * the JDK has no child-first loader, and Maven's own realms (plexus-classworlds) cannot be used by a service
     * that must not import Maven types; the rules fit in one method.
     */
    public static final class IsolatedClassLoader extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        IsolatedClassLoader(URL[] urls, ClassLoader parent) {
            super("forge-teacher", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (name.startsWith(ADAPTER_PACKAGE)) {
                        c = findClass(name);
                    } else if (shared(name)) {
                        return super.loadClass(name, resolve);
                    } else {
                        try {
                            c = findClass(name);
                        } catch (ClassNotFoundException e) {
                            return super.loadClass(name, resolve);
                        }
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            URL u = name.startsWith("dev/mcpforge/") ? null : findResource(name);
            return u != null ? u : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> out = new ArrayList<>(Collections.list(findResources(name)));
            if (getParent() != null) {
                for (URL u : Collections.list(getParent().getResources(name))) {
                    if (!out.contains(u)) {
                        out.add(u);
                    }
                }
            }
            return Collections.enumeration(out);
        }
    }
}
