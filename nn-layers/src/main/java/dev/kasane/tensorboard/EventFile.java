package dev.kasane.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file: a sequence of TFRecords, each {@code uint64 length, uint32 masked CRC32C of the length,
 * data, uint32 masked CRC32C of the data} (little-endian), whose data is a serialized {@code Event}. Each record goes
 * to the file in one write of the whole record, so a process killed between writes leaves only whole records.
 * Used by one thread at a time (the {@link SummaryWriter}'s writer thread).
 */
final class EventFile implements Closeable {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path path;
    private final FileChannel channel;

    private EventFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Creates {@code dir} if needed and a new file in it named as TensorBoard's writers name theirs,
     * {@code events.out.tfevents.<seconds>.<host>.<pid>.<counter>}.
     */
    static EventFile create(Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = String.format(Locale.ROOT, "events.out.tfevents.%010d.%s.%d.%d", System.currentTimeMillis() / 1000,
                hostName(), ProcessHandle.current().pid(), COUNTER.getAndIncrement());
        Path path = dir.resolve(name);
        return new EventFile(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The file. */
    Path path() {
        return path;
    }

    /** Appends {@code data} as one record. */
    void write(byte[] data) throws IOException {
        ByteBuffer record = record(data);
        while (record.hasRemaining()) {
            channel.write(record);
        }
    }

    /** Forces what was written to the storage device. */
    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** {@code data} framed as a TFRecord. */
    static ByteBuffer record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc32c(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc32c(data, 0, data.length));
        return b.flip();
    }

    /** TFRecord's masked CRC32C: the CRC rotated right by 15 bits plus a constant. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }
}
