package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.io.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Tensors and string metadata as the bytes of a safetensors file, the form in which state travels through Spark. */
final class StateBytes {
    private StateBytes() {
    }

    /** The safetensors file of {@code tensors} and {@code metadata}, as bytes. */
    static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kasane-state", ".safetensors");
            Safetensors.save(tensors, metadata, tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("StateBytes.write: cannot write a temporary safetensors file", e);
        } finally {
            delete(tmp);
        }
    }

    /** Reads bytes written by {@link #write}; {@code what} names them in errors. */
    static SafetensorsFile read(byte[] bytes, String what) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kasane-state", ".safetensors");
            Files.write(tmp, bytes);
            return Safetensors.loadWithMetadata(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("StateBytes.read: cannot read " + what, e);
        } finally {
            delete(tmp);
        }
    }

    private static void delete(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("StateBytes: cannot delete " + tmp, e);
            }
        }
    }
}
