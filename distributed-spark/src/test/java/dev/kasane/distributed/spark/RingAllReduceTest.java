package dev.kasane.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RingAllReduceTest {
    /** Runs {@code body} on {@code n} ring peers on loopback threads; returns each peer's result. */
    private static <T> List<T> onRing(int n, PeerBody<T> body) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ServerSocket s = new ServerSocket(0, n, InetAddress.getLoopbackAddress());
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (ServerSocket server = servers.get(rank);
                            RingAllReduce ring = RingAllReduce.connect(rank, addresses, server, 10_000)) {
                        return body.run(ring);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    interface PeerBody<T> {
        T run(RingAllReduce ring) throws Exception;
    }

    private static float[] input(int rank, int length) {
        Random random = new Random(rank);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void everyPeerGetsTheSameSumBitForBit() throws Exception {
        for (int n : new int[] {1, 2, 3, 4}) {
            for (int length : new int[] {1, 7, 1000}) {
                List<float[]> results = onRing(n, ring -> {
                    float[] v = input(ring.rank(), length);
                    ring.sum(v);
                    ring.sum(v); // a second call on the same connections: the sum of n copies of the sum
                    return v;
                });
                double[] expected = new double[length];
                for (int r = 0; r < n; r++) {
                    float[] v = input(r, length);
                    for (int i = 0; i < length; i++) {
                        expected[i] += v[i];
                    }
                }
                for (int r = 0; r < n; r++) {
                    // bit-identical on every peer
                    assertArrayEquals(results.get(0), results.get(r), "n " + n + " length " + length + " rank " + r);
                }
                for (int i = 0; i < length; i++) {
                    // float sums of n Gaussians against the double sum, then times n: tolerance 1e-4 relative
                    assertEquals(n * expected[i], results.get(0)[i], 1e-4 * (1 + Math.abs(n * expected[i])),
                            "n " + n + " element " + i);
                }
            }
        }
    }

    @Test
    void eachPeerSendsTwoTimesNMinusOneOverNOfTheVector() throws Exception {
        int n = 4;
        int length = 1000;
        List<Long> sent = onRing(n, ring -> {
            ring.sum(input(ring.rank(), length));
            return ring.bytesSent();
        });
        for (long bytes : sent) {
            assertEquals(2.0 * (n - 1) / n * length * 4, bytes, 8, "bytes sent per peer");
        }
    }

    @Test
    void aPeerThatLeavesMakesTheOthersFail() throws Exception {
        List<String> failures = onRing(3, ring -> {
            if (ring.rank() == 1) {
                ring.close();
                return "left";
            }
            IOException e = assertThrows(IOException.class, () -> ring.sum(new float[100]));
            return e.getMessage().replaceAll(" \\(.*", "");
        });
        // rank 2 receives from rank 1, which left; rank 0 receives from rank 2, which fails and closes in turn
        assertEquals(List.of("RingAllReduce: rank 0 lost its connection from rank 2", "left",
                "RingAllReduce: rank 2 lost its connection from rank 1"), failures);
    }

    @Test
    void rejectsARankOutsideTheRing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingAllReduce.connect(2, List.of("127.0.0.1:1", "127.0.0.1:2"), null, 100));
        assertEquals("RingAllReduce: rank 2 not in [0, 2)", e.getMessage());
    }
}
