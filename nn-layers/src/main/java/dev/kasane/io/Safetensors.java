package dev.kasane.io;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files, the checkpoint
 * format of Kasane (and of Hugging Face and, increasingly, PyTorch).
 *
 * <h2>Format</h2>
 * An 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}} (offsets into the data section), plus an optional
 * {@code "__metadata__"} object of string to string; then the data section, row-major little-endian, with every byte
 * belonging to exactly one tensor.
 *
 * <h2>Writing</h2>
 * {@link #save(Map, Map, Path)} writes exactly the bytes that the reference library ({@code safetensors.torch.save_file})
 * writes for the same tensors: tensors ordered by descending dtype alignment (I64, F64, F32, I32, BF16, F16, U8, BOOL) and then
 * by name (UTF-8 byte order), in that order both in the header and in the data section; compact JSON with the
 * metadata first (its keys sorted, where the reference's order is unspecified); the header padded with spaces to a
 * multiple of 8 bytes. Names are kept as given, so PyTorch's dotted state-dict keys ({@code layer1.0.conv1.weight})
 * round-trip. The file is written with {@link AtomicFiles}: to a temporary file in the same directory, flushed to
 * disk, then atomically renamed over {@code file}, so a crash never leaves half a checkpoint under the final name
 * (and the next save of the same file removes the temporary file such a crash leaves).
 *
 * <h2>Reading</h2>
 * {@link #load(Path)} and {@link #loadWithMetadata(Path)} read F32, F64, I64, I32, U8, BOOL, F16 and BF16 tensors as
 * they are (bit for bit; F16 and BF16 are storage dtypes, see {@link DType#isHalf()}), and I8 tensors (the int8
 * weights of quantized models) widened to I32, onto the CPU (move them with {@link Tensor#to(Device)}). A 16-bit
 * checkpoint loads into an F32 model as before: {@code Module.loadStateDict} converts each tensor to its parameter's
 * dtype (exactly, F16 and BF16 widen without rounding); {@code toType(DType.F32)} does the same for one tensor. Other dtypes of the format (I16, U16, U32, U64, F8 variants)
 * are rejected. Every field is checked against the file before
 * anything larger than the file is allocated: the header length (at most {@value #MAX_HEADER_BYTES} bytes, within the
 * file), UTF-8 and strict JSON (no duplicate keys, no unknown fields), each dtype, each shape (non-negative, at most
 * {@value #MAX_ELEMENTS} elements, counting a zero-size dimension as 1 so that the strides of an empty tensor fit
 * too), each tensor's byte size against its {@code data_offsets}, and that the offsets
 * tile the data section exactly (no gaps, overlaps or trailing bytes). A bad file raises {@link SafetensorsException},
 * whose message names the file and the fault.
 *
 * <pre>{@code
 * Safetensors.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Safetensors.load(Path.of("model.safetensors")), true);
 * }</pre>
 */
public final class Safetensors {
    /** Largest header accepted, in bytes (the reference library's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Most elements accepted in one tensor (the largest Java array). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The reserved header key holding the free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int CHUNK_BYTES = 1 << 20;

    private Safetensors() {
    }

    // ---------------------------------------------------------------------------------------------- dtypes

    /** The dtypes of the format that Kasane knows, in the reference's order (ascending alignment). */
    private enum StDtype {
        BOOL(1, DType.BOOL), U8(1, DType.U8), I8(1, DType.I32), F8_E5M2(1, null), F8_E4M3(1, null), I16(2, null),
        U16(2, null), F16(2, DType.F16), BF16(2, DType.BF16), I32(4, DType.I32), U32(4, null), F32(4, DType.F32),
        F64(8, DType.F64), I64(8, DType.I64), U64(8, null);

        final int size;
        /** The Kasane dtype it is read as, or null if unsupported. */
        final DType target;

        StDtype(int size, DType target) {
            this.size = size;
            this.target = target;
        }

        static StDtype parse(String name) {
            for (StDtype d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }

        static StDtype of(DType d) {
            switch (d) {
                case F32: return F32;
                case F64: return F64;
                case I32: return I32;
                case I64: return I64;
                case U8: return U8;
                case BOOL: return BOOL;
                case F16: return F16;
                case BF16: return BF16;
                default: throw new IllegalArgumentException("Safetensors.save: unsupported dtype " + d);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} to {@code file} with no metadata; see {@link #save(Map, Map, Path)}.
     *
     * @throws IllegalArgumentException if a name is null or {@value #METADATA_KEY}, or a value is null
     * @throws IOException if the file cannot be written (the previous file, if any, is then left as it was)
     */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, null, file);
    }

    /**
     * Writes {@code tensors} (any device, any strides) and {@code metadata} to {@code file} byte-for-byte as the
     * reference safetensors library does, through a temporary file in the same directory that is atomically renamed
     * into place.
     *
     * @param tensors tensors by name (their values: requiresGrad and graphs are not saved); any iteration order (the
     *     file's order is the reference's)
     * @param metadata stored under {@value #METADATA_KEY}; null to write none (an empty map writes {@code {}})
     * @param file destination, replaced if it exists
     * @throws IllegalArgumentException if a name is null or {@value #METADATA_KEY}, a value or metadata entry is null,
     *     or a string holds a lone surrogate (not encodable as UTF-8)
     * @throws IOException if the file cannot be written (the previous file, if any, is then left as it was)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        save(tensors, metadata, java.util.Set.of(), file);
    }

    /**
     * As {@link #save(Map, Map, Path)}, storing the I32 tensors named in {@code asInt8} as I8 (the int8 weights of
     * quantized models; {@link #load} reads them back as I32).
     *
     * @throws IllegalArgumentException as {@link #save(Map, Map, Path)}, or if a name in {@code asInt8} is missing,
     *     not I32, or holds a value outside [-128, 127]
     * @throws IOException if the file cannot be written (the previous file, if any, is then left as it was)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, java.util.Set<String> asInt8,
                            Path file) throws IOException {
        Objects.requireNonNull(tensors, "Safetensors.save: tensors");
        Objects.requireNonNull(asInt8, "Safetensors.save: asInt8");
        Objects.requireNonNull(file, "Safetensors.save: file");
        List<Item> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new IllegalArgumentException("Safetensors.save: a tensor name is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("Safetensors.save: the tensor name " + METADATA_KEY + " is reserved");
            }
            checkEncodable("tensor name", name);
            if (e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.save: tensor \"" + name + "\" is null");
            }
            StDtype dtype = StDtype.of(e.getValue().dtype()); // dtype check
            if (asInt8.contains(name)) {
                dtype = narrowToInt8(name, e.getValue());
            }
            entries.add(new Item(name, Function.array(e.getValue()), dtype));
        }
        for (String name : asInt8) {
            if (!tensors.containsKey(name)) {
                throw new IllegalArgumentException("Safetensors.save: \"" + name + "\" is to be stored as I8 but is not among the tensors");
            }
        }
        List<Map.Entry<String, String>> meta = null;
        if (metadata != null) {
            meta = new ArrayList<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("Safetensors.save: metadata entry " + e.getKey() + "=" + e.getValue()
                            + " has a null key or value");
                }
                checkEncodable("metadata key", e.getKey());
                checkEncodable("metadata value", e.getValue());
                meta.add(Map.entry(e.getKey(), e.getValue()));
            }
            meta.sort(Map.Entry.comparingByKey(Safetensors::compareUtf8));
        }
        Comparator<Item> order = Comparator.comparing(Item::dtype, Comparator.reverseOrder())
                .thenComparing(Item::name, Safetensors::compareUtf8);
        entries.sort(order);

        byte[] header = header(entries, meta);
        AtomicFiles.write(file, "Safetensors.save", ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Item e : entries) {
                writeData(ch, buf, e.array(), e.dtype());
            }
        });
    }

    /** A tensor to write: its name, values and the dtype it is stored as. */
    private record Item(String name, NDArray array, StDtype dtype) {
    }

    private static StDtype narrowToInt8(String name, Tensor t) {
        if (t.dtype() != DType.I32) {
            throw new IllegalArgumentException("Safetensors.save: \"" + name + "\" is to be stored as I8 but is "
                    + t.describe() + " (need I32)");
        }
        for (int v : t.toIntArray()) {
            if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("Safetensors.save: \"" + name + "\" holds " + v
                        + ", outside I8's range [-128, 127]");
            }
        }
        return StDtype.I8;
    }

    private static void checkEncodable(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Safetensors.save: " + what + " \"" + s
                        + "\" holds a lone surrogate at index " + i + " and cannot be written as UTF-8");
            }
        }
    }

    /**
     * Compares strings by their UTF-8 bytes, which is code point order: Rust's String order (the order of a
     * safetensors header) and Python's {@code sorted} (the order of torchvision's ImageFolder classes). Unlike
     * {@link String#compareTo}, a supplementary character sorts after U+E000..U+FFFF.
     */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static byte[] header(List<Item> entries, List<Map.Entry<String, String>> meta) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (meta != null) {
            Json.quote(sb, METADATA_KEY);
            sb.append(":{");
            for (int i = 0; i < meta.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.quote(sb, meta.get(i).getKey());
                sb.append(':');
                Json.quote(sb, meta.get(i).getValue());
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Item e : entries) {
            NDArray a = e.array();
            StDtype d = e.dtype();
            long n = (long) a.numel() * d.size;
            if (!first) {
                sb.append(',');
            }
            first = false;
            Json.quote(sb, e.name());
            sb.append(":{\"dtype\":\"").append(d.name()).append("\",\"shape\":[");
            int[] shape = a.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, ByteBuffer buf, NDArray a, StDtype stored) throws IOException {
        if (a.numel() == 0) {
            return;
        }
        Object host = a.toHostArray();
        int n = a.numel();
        if (stored == StDtype.I8) {
            int[] wide = (int[]) host;
            byte[] narrow = new byte[n];
            for (int i = 0; i < n; i++) {
                narrow[i] = (byte) wide[i];
            }
            host = narrow;
        }
        int esize = stored.size;
        int per = CHUNK_BYTES / esize;
        for (int start = 0; start < n; start += per) {
            int len = Math.min(per, n - start);
            buf.clear();
            if (host instanceof float[]) {
                buf.asFloatBuffer().put((float[]) host, start, len);
            } else if (host instanceof double[]) {
                buf.asDoubleBuffer().put((double[]) host, start, len);
            } else if (host instanceof int[]) {
                buf.asIntBuffer().put((int[]) host, start, len);
            } else if (host instanceof long[]) {
                buf.asLongBuffer().put((long[]) host, start, len);
            } else if (host instanceof short[]) {
                buf.asShortBuffer().put((short[]) host, start, len);
            } else {
                buf.put((byte[]) host, start, len);
            }
            buf.position(0).limit(len * esize);
            writeFully(ch, buf);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * Reads every tensor of a safetensors file onto the CPU, in header order, each in the file's dtype (I8 widened to
     * I32).
     *
     * @throws SafetensorsException if the file is truncated, corrupt, hostile or uses an unsupported dtype
     * @throws IOException if the file cannot be read
     */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        return loadWithMetadata(file).tensors();
    }

    /**
     * Reads every tensor of a safetensors file onto the CPU, with the header's {@value #METADATA_KEY} map.
     *
     * @throws SafetensorsException if the file is truncated, corrupt, hostile or uses an unsupported dtype
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile loadWithMetadata(Path file) throws IOException {
        Objects.requireNonNull(file, "Safetensors.load: file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file, "file is " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw new SafetensorsException(file, "header length " + n + " runs past the end of the file (" + size
                        + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(file, ch, hb, 8);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new SafetensorsException(file, "header is not valid UTF-8", e);
            }
            if (!text.startsWith("{")) {
                throw new SafetensorsException(file, "header does not start with '{'");
            }
            Object root;
            try {
                root = Json.parse(text);
            } catch (Json.JsonException e) {
                throw new SafetensorsException(file, "header is not valid JSON: " + e.getMessage());
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Header h = parseHeader(file, root, dataSize);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries) {
                tensors.put(e.name, null);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, dataSize)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            List<Entry> byOffset = new ArrayList<>(h.entries);
            byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
            for (Entry e : byOffset) {
                tensors.put(e.name, Function.tensor(readTensor(file, ch, buf, dataStart, e)));
            }
            return new SafetensorsFile(tensors, h.metadata);
        }
    }

    private record Entry(String name, StDtype dtype, int[] shape, long numel, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata) {
    }

    private static Header parseHeader(Path file, Object root, long dataSize) throws SafetensorsException {
        if (!(root instanceof Map)) {
            throw new SafetensorsException(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> kv : ((Map<?, ?>) root).entrySet()) {
            String name = (String) kv.getKey();
            Object v = kv.getValue();
            if (name.equals(METADATA_KEY)) {
                if (v == Json.NULL) {
                    continue;
                }
                if (!(v instanceof Map)) {
                    throw new SafetensorsException(file, METADATA_KEY + " is not an object");
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) v).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new SafetensorsException(file, METADATA_KEY + " entry \"" + m.getKey() + "\" is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            entries.add(parseEntry(file, name, v, dataSize));
        }
        // The offsets must tile [0, dataSize) exactly.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw new SafetensorsException(file, "tensor \"" + e.name + "\": data_offsets [" + e.begin + ", " + e.end + "] "
                        + (e.begin < expected ? "overlap the previous tensor, which ends at " : "leave a gap after byte ")
                        + expected);
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new SafetensorsException(file, "the tensors cover " + expected + " bytes but the data section holds "
                    + dataSize + " bytes");
        }
        return new Header(entries, metadata);
    }

    private static Entry parseEntry(Path file, String name, Object v, long dataSize) throws SafetensorsException {
        String where = "tensor \"" + name + "\": ";
        if (!(v instanceof Map)) {
            throw new SafetensorsException(file, where + "info is not a JSON object");
        }
        Map<?, ?> info = (Map<?, ?>) v;
        for (Object k : info.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new SafetensorsException(file, where + "unknown field \"" + k + "\"");
            }
        }
        Object dt = info.get("dtype");
        Object sh = info.get("shape");
        Object off = info.get("data_offsets");
        if (dt == null || sh == null || off == null) {
            throw new SafetensorsException(file, where + "missing field \""
                    + (dt == null ? "dtype" : sh == null ? "shape" : "data_offsets") + "\"");
        }
        if (!(dt instanceof String)) {
            throw new SafetensorsException(file, where + "dtype is not a string");
        }
        StDtype dtype = StDtype.parse((String) dt);
        if (dtype == null) {
            throw new SafetensorsException(file, where + "unknown dtype \"" + dt + "\"");
        }
        if (dtype.target == null) {
            throw new SafetensorsException(file, where + "unsupported dtype " + dtype
                    + " (Kasane reads F32, F64, I64, I32, U8, BOOL, F16, BF16 and I8)");
        }
        if (!(sh instanceof List)) {
            throw new SafetensorsException(file, where + "shape is not an array");
        }
        List<?> shapeList = (List<?>) sh;
        if (shapeList.size() > 64) {
            throw new SafetensorsException(file, where + "shape has " + shapeList.size() + " dimensions (at most 64)");
        }
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        long extent = 1; // the product with zero sizes counted as 1: what the strides of the array must hold
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeList.get(i);
            if (!(d instanceof Long) || (Long) d < 0 || (Long) d > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, where + "shape " + shapeList + " has an invalid dimension " + d
                        + " (must be an integer in [0, " + Integer.MAX_VALUE + "])");
            }
            shape[i] = (int) (long) (Long) d;
            // neither overflows: each factor is below 2^31 and the products are capped at MAX_ELEMENTS + 1
            numel = Math.min(numel * shape[i], MAX_ELEMENTS + 1);
            extent = Math.min(extent * Math.max(shape[i], 1), MAX_ELEMENTS + 1);
        }
        if (extent > MAX_ELEMENTS) {
            throw new SafetensorsException(file, where + "shape " + shapeList + " has more than " + MAX_ELEMENTS
                    + (numel == 0 ? " elements in its non-zero dimensions (its strides would overflow)" : " elements"));
        }
        if (!(off instanceof List) || ((List<?>) off).size() != 2) {
            throw new SafetensorsException(file, where + "data_offsets is not an array of two integers");
        }
        Object b = ((List<?>) off).get(0);
        Object e = ((List<?>) off).get(1);
        if (!(b instanceof Long) || !(e instanceof Long) || (Long) b < 0 || (Long) e < 0) {
            throw new SafetensorsException(file, where + "data_offsets " + off + " are not two non-negative integers");
        }
        long begin = (Long) b;
        long end = (Long) e;
        if (end < begin) {
            throw new SafetensorsException(file, where + "data_offsets " + off + " end before they begin");
        }
        if (end > dataSize) {
            throw new SafetensorsException(file, where + "data_offsets " + off + " run past the data section, which holds "
                    + dataSize + " bytes");
        }
        long nbytes = numel * dtype.size;
        if (end - begin != nbytes) {
            throw new SafetensorsException(file, where + "data_offsets " + off + " hold " + (end - begin) + " bytes, but "
                    + dtype + " " + shapeList + " needs " + nbytes);
        }
        return new Entry(name, dtype, shape, numel, begin, end);
    }

    private static NDArray readTensor(Path file, FileChannel ch, ByteBuffer buf, long dataStart, Entry e)
            throws IOException {
        int n = (int) e.numel;
        StDtype d = e.dtype;
        Object host = e.dtype.target.newHostArray(n);
        int per = buf.capacity() / d.size;
        long pos = dataStart + e.begin;
        for (int start = 0; start < n; start += per) {
            int len = Math.min(per, n - start);
            buf.clear().limit(len * d.size);
            readFully(file, ch, buf, pos);
            pos += (long) len * d.size;
            buf.flip();
            switch (d) {
                case F32: buf.asFloatBuffer().get((float[]) host, start, len); break;
                case F64: buf.asDoubleBuffer().get((double[]) host, start, len); break;
                case I32: buf.asIntBuffer().get((int[]) host, start, len); break;
                case I64: buf.asLongBuffer().get((long[]) host, start, len); break;
                case U8: buf.get((byte[]) host, start, len); break;
                case I8: {
                    int[] out = (int[]) host;
                    for (int i = 0; i < len; i++) {
                        out[start + i] = buf.get(i);
                    }
                    break;
                }
                case BOOL: {
                    byte[] out = (byte[]) host;
                    buf.get(out, start, len);
                    for (int i = start; i < start + len; i++) {
                        if (out[i] != 0 && out[i] != 1) {
                            throw new SafetensorsException(file, "tensor \"" + e.name + "\": BOOL element " + i
                                    + " holds byte " + (out[i] & 0xFF) + " (must be 0 or 1)");
                        }
                    }
                    break;
                }
                case F16: case BF16: buf.asShortBuffer().get((short[]) host, start, len); break;
                default:
                    throw new AssertionError(d);
            }
        }
        return NDArray.fromHost(host, d.target, Device.CPU, e.shape);
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new SafetensorsException(file, "unexpected end of file at byte " + p + " (was it truncated while reading?)");
            }
            p += r;
        }
    }
}
