package dev.kasane.distributed.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The driver's end of the progress channel: worker 0 of a barrier stage connects (again after a retry) and sends
 * one line per report ({@link ProgressReporter}); each is parsed and handed to the listener. Runs on daemon threads
 * until closed.
 */
final class ProgressServer implements AutoCloseable {
    private final ServerSocket server;
    private final ProgressListener listener;
    private final String host;
    private final List<TrainingProgress> history = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> resumes = Collections.synchronizedList(new ArrayList<>());

    private ProgressServer(String host, ProgressListener listener) throws IOException {
        this.host = host;
        this.listener = listener;
        this.server = new ServerSocket(0, 8, InetAddress.getByName(host));
        Thread acceptor = new Thread(this::acceptLoop, "kasane-spark-progress");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on {@code host} (the driver's address as executors reach it). */
    static ProgressServer start(String host, ProgressListener listener) {
        try {
            return new ProgressServer(host, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot listen for progress on " + host, e);
        }
    }

    /** {@code host:port} for the workers. */
    String address() {
        return host + ":" + server.getLocalPort();
    }

    /** Every report received, in order. */
    List<TrainingProgress> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The steps that attempts resumed after, in order. */
    List<Long> resumes() {
        synchronized (resumes) {
            return List.copyOf(resumes);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread reader = new Thread(() -> read(s), "kasane-spark-progress-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                handle(line);
            }
        } catch (IOException e) {
            // the worker's attempt ended (failed or killed); a retry connects anew
        }
    }

    private void handle(String line) {
        String[] f = line.split(" ");
        synchronized (this) {
            if (f[0].equals("R")) {
                long step = Long.parseLong(f[1]);
                resumes.add(step);
                listener.onResume(step);
            } else {
                TrainingProgress p = new TrainingProgress(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7]));
                report(p);
            }
        }
    }

    /** Records {@code p} and hands it to the listener (also for reports made on the driver itself). */
    synchronized void report(TrainingProgress p) {
        history.add(p);
        listener.onProgress(p);
    }

    /** Records a resume made on the driver itself. */
    synchronized void resumed(long step) {
        resumes.add(step);
        listener.onResume(step);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot close the progress listener", e);
        }
    }
}
