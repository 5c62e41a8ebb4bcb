package dev.kasane.distributed.spark;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Worker 0's end of the progress channel to the driver's {@link ProgressServer}. */
final class ProgressReporter implements AutoCloseable {
    private final Socket socket;
    private final Writer out;

    ProgressReporter(String hostPort, int timeoutMillis) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        socket = new Socket();
        socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))), timeoutMillis);
        out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    }

    void resumed(long step) throws IOException {
        send("R " + step);
    }

    void report(TrainingProgress p) throws IOException {
        send(String.format(Locale.ROOT, "P %d %d %d %d %s %s %s", p.epoch(), p.epochs(), p.step(), p.stepsPerEpoch(),
                Double.toString(p.loss()), Double.toString(p.samplesPerSecond()),
                Double.toString(p.communicationShare())));
    }

    private void send(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
