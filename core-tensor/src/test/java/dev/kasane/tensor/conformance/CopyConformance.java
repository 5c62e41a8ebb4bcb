package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.PadMode;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ops that build new arrays by copying: cat (with dtype promotion), stack, pad in every mode (against a reference
 * implementation of PyTorch's {@code F.pad}), flip and repeat. Everything here is exact.
 */
public abstract class CopyConformance extends ConformanceBase {

    static Ref catRef(List<Ref> parts, int dim) {
        int[] shape = parts.get(0).shape.clone();
        int total = 0;
        for (Ref p : parts) {
            total += p.shape[dim];
        }
        shape[dim] = total;
        return Ref.of(shape, i -> {
            int[] idx = Ref.unravel(shape, i);
            int k = idx[dim];
            for (Ref p : parts) {
                if (k < p.shape[dim]) {
                    idx[dim] = k;
                    return p.at(idx);
                }
                k -= p.shape[dim];
            }
            throw new IllegalStateException();
        });
    }

    @Test
    void catEveryDimAndLayout() {
        Random r = rnd(5000);
        Failures f = new Failures();
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            for (Layout l : Layout.values()) {
                for (DType t : ALL) {
                    List<Input> in = new ArrayList<>();
                    int[] sizes = {2, 0, 5, 1};
                    for (int k = 0; k < sizes.length; k++) {
                        int[] shape = {3, 4, 5};
                        shape[d] = sizes[k];
                        in.add(input(shape, t, l.shifted(k), r, GENERAL));
                    }
                    int dd = dim;
                    f.check("cat dim " + dim + " " + in, () -> {
                        List<NDArray> arrays = new ArrayList<>();
                        List<Ref> refs = new ArrayList<>();
                        for (Input i : in) {
                            arrays.add(i.a());
                            refs.add(i.ref());
                        }
                        NDArray out = NDArray.cat(arrays, dd);
                        assertValues("cat", t, catRef(refs, d), out);
                        for (NDArray a : arrays) {
                            assertFalse(out.sharesStorageWith(a));
                        }
                    });
                }
            }
        }
        f.done();
        NDArray big = NDArray.cat(List.of(NDArray.ones(DType.F32, device(), 70_001), NDArray.zeros(DType.F32, device(), 3)), 0);
        assertExact("big cat", Ref.of(s(70_004), i -> i < 70_001 ? 1 : 0), big);
        NDArray one = vec(DType.I32, 1, 2);
        assertExact("cat of one array", Ref.values(s(2), 1, 2), NDArray.cat(List.of(one), 0));
    }

    @Test
    void catPromotesDtypes() {
        Random r = rnd(5100);
        for (DType a : ALL) {
            for (DType b : ALL) {
                Input x = input(s(2, 3), a, Layout.PERMUTED, r, GENERAL);
                Input y = input(s(1, 3), b, Layout.NEG_STEP, r, GENERAL);
                NDArray out = NDArray.cat(List.of(x.a(), y.a()), 0);
                DType t = DType.promote(a, b);
                assertValues("cat " + a + " and " + b, t, catRef(List.of(x.ref().castTo(t), y.ref().castTo(t)), 0), out);
            }
        }
        NDArray u8 = vec(DType.U8, 200, 255);
        NDArray i32 = vec(DType.I32, -1);
        assertValues("U8 values stay 0..255 when promoted", DType.I32, Ref.values(s(3), 200, 255, -1), NDArray.cat(List.of(u8, i32), 0));
        NDArray bool = vec(DType.BOOL, 1, 0);
        assertValues("BOOL + F32", DType.F32, Ref.values(s(3), 1, 0, 0.5), NDArray.cat(List.of(bool, vec(DType.F32, 0.5)), 0));
    }

    @Test
    void stack() {
        Random r = rnd(5200);
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            Input a = input(s(4, 5), DType.F64, Layout.MIXED, r, GENERAL);
            Input b = input(s(4, 5), DType.F64, Layout.BROADCAST_INNER, r, GENERAL);
            Input c = input(s(4, 5), DType.F64, Layout.CONTIGUOUS, r, GENERAL);
            NDArray out = NDArray.stack(List.of(a.a(), b.a(), c.a()), dim);
            int[] shape = {4, 5};
            int[] us = new int[3];
            for (int i = 0, j = 0; i < 3; i++) {
                us[i] = i == d ? 1 : shape[j++];
            }
            Ref exp = catRef(List.of(a.ref().reshape(us), b.ref().reshape(us), c.ref().reshape(us)), d);
            assertExact("stack dim " + dim, exp, out);
        }
        NDArray s0 = NDArray.stack(List.of(NDArray.scalar(1, DType.I64, device()), NDArray.scalar(2, DType.I64, device())), 0);
        assertValues("stack of scalars", DType.I64, Ref.values(s(2), 1, 2), s0);
        assertThrows(IllegalArgumentException.class,
                () -> NDArray.stack(List.of(vec(DType.F32, 1, 2), vec(DType.F32, 1)), 0), "shapes must match");
        assertThrows(IllegalArgumentException.class, () -> NDArray.stack(List.of(), 0), "empty list");
    }

    // ------------------------------------------------------------------------------------------ pad

    /** PyTorch's F.pad on the last pad.length / 2 dims, in double. */
    static Ref padRef(Ref x, int[] pad, PadMode mode, double value) {
        int rank = x.rank();
        int[] before = new int[rank];
        int[] after = new int[rank];
        for (int i = 0; i < pad.length / 2; i++) {
            before[rank - 1 - i] = pad[2 * i];
            after[rank - 1 - i] = pad[2 * i + 1];
        }
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = x.shape[d] + before[d] + after[d];
        }
        return Ref.of(out, i -> {
            int[] idx = Ref.unravel(out, i);
            for (int d = 0; d < rank; d++) {
                int n = x.shape[d];
                int j = idx[d] - before[d];
                if (j < 0 || j >= n) {
                    switch (mode) {
                        case CONSTANT:
                            return value;
                        case REFLECT:
                            j = j < 0 ? -j : 2 * (n - 1) - j;
                            break;
                        case REPLICATE:
                            j = j < 0 ? 0 : n - 1;
                            break;
                        default:
                            j = Math.floorMod(j, n);
                    }
                }
                idx[d] = j;
            }
            return x.at(idx);
        });
    }

    @Test
    void padEveryModeAgainstReference() {
        Random r = rnd(5300);
        Failures f = new Failures();
        int[][] shapes = {{7}, {4, 5}, {2, 3, 4}, {2, 3, 4, 5}, {1}, {3, 1}};
        for (PadMode mode : PadMode.values()) {
            for (int[] shape : shapes) {
                for (int trial = 0; trial < 12; trial++) {
                    int k = 1 + r.nextInt(shape.length);
                    int[] pad = new int[2 * k];
                    for (int i = 0; i < pad.length; i++) {
                        int n = shape[shape.length - 1 - i / 2];
                        switch (mode) {
                            case CONSTANT: pad[i] = r.nextInt(n + 4) - Math.min(n / 2, 2); break;
                            case REFLECT: pad[i] = r.nextInt(n); break;
                            case CIRCULAR: pad[i] = r.nextInt(n + 1); break;
                            default: pad[i] = r.nextInt(6);
                        }
                    }
                    DType t = ALL[trial % ALL.length];
                    Layout l = Layout.values()[trial % Layout.values().length];
                    Input x = input(shape, t, l, r, GENERAL);
                    f.check(mode + " pad " + Arrays.toString(pad) + " of " + x, () -> {
                        NDArray out = x.a().pad(pad, mode, 3);
                        assertValues("pad", t, padRef(x.ref(), pad, mode, Ref.cast(3, t)), out);
                    });
                }
            }
        }
        f.done();
        NDArray v = vec(DType.F32, 1, 2, 3);
        assertExact("reflect", Ref.values(s(7), 3, 2, 1, 2, 3, 2, 1), v.pad(new int[] {2, 2}, PadMode.REFLECT, 0));
        assertExact("replicate", Ref.values(s(6), 1, 1, 1, 2, 3, 3), v.pad(new int[] {2, 1}, PadMode.REPLICATE, 0));
        assertExact("circular", Ref.values(s(7), 2, 3, 1, 2, 3, 1, 2), v.pad(new int[] {2, 2}, PadMode.CIRCULAR, 0));
        assertExact("constant", Ref.values(s(5), 0, 1, 2, 3, 0), v.pad(1, 1));
        assertExact("negative crop", Ref.values(s(3), 2, 3, 9), v.pad(new int[] {-1, 1}, PadMode.CONSTANT, 9));
        assertExact("crop to nothing", Ref.values(s(0)), v.pad(-2, -1));
        NDArray img = upload(Ref.of(s(1, 2, 3, 3), i -> i), DType.F32);
        assertExact("4-D reflect of the last two dims", padRef(Ref.of(s(1, 2, 3, 3), i -> i), new int[] {1, 2, 2, 1}, PadMode.REFLECT, 0),
                img.pad(new int[] {1, 2, 2, 1}, PadMode.REFLECT, 0));
        NDArray big = NDArray.ones(DType.F32, device(), 257, 129).pad(new int[] {3, 1, 0, 2}, PadMode.CONSTANT, 0);
        assertArrayEquals(new int[] {259, 133}, big.shape());
        assertEquals(257.0 * 129, big.reduce(ReduceOp.SUM).item(), 0.0);
    }

    @Test
    void padOfAnEmptyBatchDim() {
        // REFLECT only pads the last dim; the empty leading dim is not padded and must not be checked against the pad
        NDArray x = NDArray.zeros(DType.F32, device(), 0, 5);
        assertArrayEquals(new int[] {0, 7}, x.pad(new int[] {1, 1}, PadMode.REFLECT, 0).shape());
        assertArrayEquals(new int[] {0, 7}, x.pad(new int[] {1, 1}, PadMode.REPLICATE, 0).shape());
        assertArrayEquals(new int[] {0, 7}, x.pad(new int[] {1, 1}, PadMode.CIRCULAR, 0).shape());
    }

    @Test
    void badPadThrows() {
        NDArray v = vec(DType.F32, 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {1}, PadMode.CONSTANT, 0), "odd length");
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {1, 1, 1, 1}, PadMode.CONSTANT, 0), "too many dims");
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {3, 0}, PadMode.REFLECT, 0), "reflect pad >= size");
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {-1, 0}, PadMode.REFLECT, 0), "negative reflect");
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {4, 0}, PadMode.CIRCULAR, 0), "circular pad > size");
        assertThrows(IllegalArgumentException.class, () -> v.pad(new int[] {-2, -2}, PadMode.CONSTANT, 0), "crop more than size");
        assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.F32, device(), 0).pad(new int[] {1, 1}, PadMode.REPLICATE, 0), "replicate empty");
    }

    // ------------------------------------------------------------------------------------------ flip and repeat

    @Test
    void flip() {
        Random r = rnd(5400);
        int[][] dimSets = {{0}, {1}, {2}, {-1}, {0, 2}, {0, 1, 2}};
        for (Layout l : Layout.values()) {
            for (DType t : ALL) {
                Input a = input(s(3, 4, 5), t, l, r, GENERAL);
                for (int[] dims : dimSets) {
                    NDArray out = a.a().flip(dims);
                    assertFalse(out.sharesStorageWith(a.a()), "flip copies");
                    boolean[] m = a.ref().mask(dims);
                    Ref exp = Ref.of(s(3, 4, 5), i -> {
                        int[] idx = Ref.unravel(s(3, 4, 5), i);
                        for (int d = 0; d < 3; d++) {
                            if (m[d]) {
                                idx[d] = a.ref().shape[d] - 1 - idx[d];
                            }
                        }
                        return a.ref().at(idx);
                    });
                    assertValues("flip " + Arrays.toString(dims) + " " + a, t, exp, out);
                }
            }
        }
        for (int n : new int[] {0, 1, 70_001}) {
            NDArray x = upload(Ref.of(s(n), i -> i % 1000), DType.F32);
            assertExact("flip n=" + n, Ref.of(s(n), i -> (n - 1 - i) % 1000), x.flip(0));
        }
        assertThrows(IllegalArgumentException.class, () -> vec(DType.F32, 1).flip(1));
        assertThrows(IllegalArgumentException.class, () -> vec(DType.F32, 1).flip(0, 0));
    }

    @Test
    void repeat() {
        Random r = rnd(5500);
        int[][] reps = {{1, 1}, {2, 3}, {3, 1}, {2, 1, 2}, {0, 2}, {1, 2, 1, 1}};
        for (Layout l : Layout.values()) {
            Input a = input(s(2, 3), DType.I32, l, r, GENERAL);
            for (int[] rep : reps) {
                int lead = rep.length - 2;
                int[] out = new int[rep.length];
                for (int i = 0; i < rep.length; i++) {
                    out[i] = rep[i] * (i < lead ? 1 : a.ref().shape[i - lead]);
                }
                Ref exp = Ref.of(out, i -> {
                    int[] idx = Ref.unravel(out, i);
                    return a.ref().at(idx[lead] % 2, idx[lead + 1] % 3);
                });
                NDArray res = a.a().repeat(rep);
                assertValues("repeat " + Arrays.toString(rep) + " " + a, DType.I32, exp, res);
                assertFalse(res.sharesStorageWith(a.a()), "repeat copies");
            }
        }
        assertExact("repeat of a 0-d array", Ref.values(s(3), 5, 5, 5), NDArray.scalar(5, DType.F32, device()).repeat(3));
        assertThrows(IllegalArgumentException.class, () -> vec(DType.F32, 1, 2).repeat(), "too few counts");
        assertThrows(IllegalArgumentException.class, () -> vec(DType.F32, 1, 2).repeat(-1), "negative count");
    }
}
