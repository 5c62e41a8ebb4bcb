package dev.kasane.distributed.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on loopback, started from the jars on the test classpath (no download, no Spark
 * installation): one Master JVM and {@code workers} Worker JVMs of one core each. The workers' "Spark home" is an
 * empty directory with an empty {@code jars/}; executors get the test classpath through
 * {@code spark.executor.extraClassPath} ({@link #executorClassPath()}). Logs go to files under the directory.
 */
final class LoopbackCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final String masterUrl;
    private final Path dir;

    LoopbackCluster(Path dir, int workers) throws IOException, InterruptedException {
        this.dir = dir;
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        start("master", home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        for (int w = 0; w < workers; w++) {
            start("worker-" + w, home, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                    Files.createDirectories(dir.resolve("work-" + w)).toString(), masterUrl);
        }
    }

    /** {@code spark://127.0.0.1:port}. */
    String masterUrl() {
        return masterUrl;
    }

    /** The test JVM's classpath, for the executors. */
    static String executorClassPath() {
        return System.getProperty("java.class.path");
    }

    private void start(String name, Path home, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(executorClassPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        // without it Spark's launcher looks for a source build's directories to guess the Scala version
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.remove("SPARK_CONF_DIR");
        File log = dir.resolve(name + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        processes.add(pb.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the workers (which stop their executors) and the master. */
    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
        }
    }
}
