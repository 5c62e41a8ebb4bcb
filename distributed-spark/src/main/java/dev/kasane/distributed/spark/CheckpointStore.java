package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.io.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Training checkpoints in a directory that the driver and every executor reach, through Hadoop's {@link FileSystem}
 * (a local path, {@code file:}, {@code hdfs:}, {@code s3a:}, ...: whatever filesystem the executors' Hadoop
 * configuration knows). Each checkpoint is one safetensors file, {@code checkpoint-<step>.safetensors} with the
 * number of finished steps zero-padded, written to a temporary name and renamed, so that a reader sees complete
 * files only; the older ones are deleted after the rename. The latest is the one with the highest step.
 */
final class CheckpointStore {
    static final String PREFIX = "checkpoint-";
    static final String SUFFIX = ".safetensors";
    /** Metadata key of the number of finished steps (rounds, for parameter averaging). */
    static final String STEP = "kasane.spark.step";

    private final org.apache.hadoop.fs.Path dir;
    private final FileSystem fs;

    /** The store in {@code dir} (a path or URI); creates the directory. */
    CheckpointStore(String dir) {
        try {
            URI uri = new URI(dir.contains(":") ? dir : Path.of(dir).toAbsolutePath().toUri().toString());
            this.dir = new org.apache.hadoop.fs.Path(uri);
            this.fs = FileSystem.get(uri, new Configuration());
            fs.mkdirs(this.dir);
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalArgumentException("SparkTrainer: cannot open the checkpoint directory " + dir + ": " + e,
                    e);
        }
    }

    /** Writes a checkpoint after {@code step} finished steps. */
    void save(long step, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Path local = null;
        org.apache.hadoop.fs.Path target = file(step);
        try {
            local = Files.createTempFile("kasane-checkpoint", SUFFIX);
            Map<String, String> meta = new java.util.LinkedHashMap<>(metadata);
            meta.put(STEP, Long.toString(step));
            Safetensors.save(tensors, meta, local);
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir, "." + target.getName() + ".tmp");
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), tmp);
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " to " + target + " failed");
            }
            for (FileStatus s : checkpoints()) {
                if (!s.getPath().getName().equals(target.getName())) {
                    fs.delete(s.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot write checkpoint " + target, e);
        } finally {
            if (local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException e) {
                    throw new UncheckedIOException("SparkTrainer: cannot delete " + local, e);
                }
            }
        }
    }

    /** The latest checkpoint, if any. */
    Optional<SafetensorsFile> latest() {
        try {
            FileStatus best = null;
            for (FileStatus s : checkpoints()) {
                if (best == null || s.getPath().getName().compareTo(best.getPath().getName()) > 0) {
                    best = s;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            Path local = Files.createTempFile("kasane-checkpoint", SUFFIX);
            try {
                fs.copyToLocalFile(false, best.getPath(), new org.apache.hadoop.fs.Path(local.toUri()), true);
                return Optional.of(Safetensors.loadWithMetadata(local));
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot read the latest checkpoint in " + dir, e);
        }
    }

    /** The finished steps recorded in a checkpoint. */
    static long step(SafetensorsFile checkpoint) {
        return Long.parseLong(checkpoint.metadata().get(STEP));
    }

    private FileStatus[] checkpoints() throws IOException {
        return fs.listStatus(dir, p -> p.getName().startsWith(PREFIX) && p.getName().endsWith(SUFFIX));
    }

    private org.apache.hadoop.fs.Path file(long step) {
        return new org.apache.hadoop.fs.Path(dir, String.format(java.util.Locale.ROOT, "%s%012d%s", PREFIX, step,
                SUFFIX));
    }
}
