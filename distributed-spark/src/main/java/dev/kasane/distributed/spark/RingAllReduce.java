package dev.kasane.distributed.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A ring all-reduce (sum) of float vectors among {@code n} peers over TCP, as Horovod and NCCL do it: the vector is
 * cut into {@code n} chunks; {@code n - 1} reduce-scatter steps pass partial sums around the ring (rank {@code r}
 * sends to {@code r + 1} and receives from {@code r - 1}), after which each rank holds one fully reduced chunk, and
 * {@code n - 1} all-gather steps pass the reduced chunks around. Each rank sends and receives
 * {@code 2 (n - 1) / n} times the vector's bytes per call, whatever {@code n}.
 *
 * <p>The order of the additions is fixed by the ring: chunk {@code c} is summed as
 * {@code ((x[c] + x[c+1]) + x[c+2]) + ... + x[c-1]} (ranks modulo {@code n}), and every rank receives the same reduced bits in
 * the all-gather. So all ranks end with bit-identical vectors, and a rerun with the same inputs gives the same bits.
 */
final class RingAllReduce implements AutoCloseable {
    private final int rank;
    private final int size;
    private final Socket toNext;
    private final Socket fromPrevious;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private byte[] sendBytes = new byte[0];
    private byte[] receiveBytes = new byte[0];
    private float[] received = new float[0];
    private long bytesSent;

    private RingAllReduce(int rank, int size, Socket toNext, Socket fromPrevious) throws IOException {
        this.rank = rank;
        this.size = size;
        this.toNext = toNext;
        this.fromPrevious = fromPrevious;
        this.out = toNext == null ? null : new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        this.in = fromPrevious == null ? null : new DataInputStream(new BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
        this.sender = toNext == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kasane-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the ring: connects to rank {@code rank + 1}'s address and accepts rank {@code rank - 1} on {@code server}
     * (already bound, its address among {@code addresses}).
     *
     * @param addresses every rank's {@code host:port}, by rank
     * @param timeoutMillis how long to wait for a peer to connect or to send, before failing
     */
    static RingAllReduce connect(int rank, List<String> addresses, ServerSocket server, int timeoutMillis)
            throws IOException {
        int n = addresses.size();
        if (rank < 0 || rank >= n) {
            throw new IllegalArgumentException("RingAllReduce: rank " + rank + " not in [0, " + n + ")");
        }
        if (n == 1) {
            return new RingAllReduce(0, 1, null, null);
        }
        Socket next = connectWithRetry(addresses.get((rank + 1) % n), timeoutMillis);
        Socket previous = null;
        try {
            next.setTcpNoDelay(true);
            new DataOutputStream(next.getOutputStream()).writeInt(rank);
            server.setSoTimeout(timeoutMillis);
            previous = server.accept();
            previous.setSoTimeout(timeoutMillis);
            previous.setTcpNoDelay(true);
            int peer = new DataInputStream(previous.getInputStream()).readInt();
            int expected = (rank - 1 + n) % n;
            if (peer != expected) {
                throw new IOException("RingAllReduce: rank " + rank + " expected rank " + expected + " to connect, got "
                        + peer);
            }
            return new RingAllReduce(rank, n, next, previous);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next, e);
            if (previous != null) {
                closeQuietly(previous, e);
            }
            throw e;
        }
    }

    private static Socket connectWithRetry(String hostPort, int timeoutMillis) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(address, timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw new IOException("RingAllReduce: cannot connect to " + hostPort + " within " + timeoutMillis
                            + " ms", e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("RingAllReduce: interrupted while connecting to " + hostPort, ie);
                }
            }
        }
    }

    private static void closeQuietly(Socket s, Exception cause) {
        try {
            s.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** This peer's rank. */
    int rank() {
        return rank;
    }

    /** The number of peers. */
    int size() {
        return size;
    }

    /** Bytes this peer has sent so far. */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * Replaces {@code data} by the element-wise sum of every peer's {@code data} (all peers call this with vectors of
     * the same length, in the same order of calls).
     *
     * @throws IOException if a peer fails, closes its connection, or sends nothing within the timeout
     */
    void sum(float[] data) throws IOException {
        if (size == 1) {
            return;
        }
        int n = size;
        for (int s = 0; s < n - 1; s++) {
            exchange(data, chunk(rank - s), chunk(rank - s - 1), true);
        }
        for (int s = 0; s < n - 1; s++) {
            exchange(data, chunk(rank + 1 - s), chunk(rank - s), false);
        }
    }

    private int chunk(int c) {
        return ((c % size) + size) % size;
    }

    private int chunkStart(int length, int c) {
        return (int) ((long) length * c / size);
    }

    /** Sends chunk {@code send} to the next peer while receiving chunk {@code receive} from the previous one. */
    private void exchange(float[] data, int send, int receive, boolean add) throws IOException {
        int sendFrom = chunkStart(data.length, send);
        int sendLength = chunkStart(data.length, send + 1) - sendFrom;
        int receiveFrom = chunkStart(data.length, receive);
        int receiveLength = chunkStart(data.length, receive + 1) - receiveFrom;
        if (sendBytes.length < 4 * sendLength) {
            sendBytes = new byte[4 * sendLength];
        }
        ByteBuffer.wrap(sendBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data, sendFrom, sendLength);
        Future<?> sent = sender.submit(() -> {
            out.write(sendBytes, 0, 4 * sendLength);
            out.flush();
            return null;
        });
        if (receiveBytes.length < 4 * receiveLength) {
            receiveBytes = new byte[4 * receiveLength];
            received = new float[receiveLength];
        }
        try {
            in.readFully(receiveBytes, 0, 4 * receiveLength);
        } catch (SocketTimeoutException e) {
            throw new IOException("RingAllReduce: rank " + rank + " received nothing from rank " + chunk(rank - 1)
                    + " within the timeout", e);
        } catch (IOException e) {
            throw new IOException("RingAllReduce: rank " + rank + " lost its connection from rank " + chunk(rank - 1)
                    + " (" + e + ")", e);
        }
        ByteBuffer.wrap(receiveBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(received, 0, receiveLength);
        if (add) {
            for (int i = 0; i < receiveLength; i++) {
                data[receiveFrom + i] = received[i] + data[receiveFrom + i];
            }
        } else {
            System.arraycopy(received, 0, data, receiveFrom, receiveLength);
        }
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("RingAllReduce: interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IOException("RingAllReduce: rank " + rank + " cannot send to rank " + chunk(rank + 1),
                    e.getCause());
        }
        bytesSent += 4L * sendLength;
    }

    /** Closes both connections (a peer blocked on this one then fails instead of waiting). */
    @Override
    public void close() throws IOException {
        if (sender != null) {
            sender.shutdownNow();
        }
        IOException failure = null;
        for (Socket s : new Socket[] {toNext, fromPrevious}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
