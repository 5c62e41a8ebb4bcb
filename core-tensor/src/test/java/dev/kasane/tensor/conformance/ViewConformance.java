package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * View ops (view/reshape, permute/transpose/t, slice, narrow, select, expand, squeeze/unsqueeze, flatten/unflatten,
 * asStrided, split/chunk) on every layout: values against the reference, sharing of storage, and that writes through a
 * view reach the base. Everything here is exact.
 */
public abstract class ViewConformance extends ConformanceBase {

    private NDArray iota(DType t, int... shape) {
        return upload(Ref.of(shape, i -> i), t);
    }

    @Test
    void viewAndReshape() {
        NDArray x = iota(DType.F32, 2, 3, 4);
        NDArray v = x.view(4, -1);
        assertArrayEquals(new int[] {4, 6}, v.shape());
        assertTrue(v.sharesStorageWith(x), "view of a contiguous array shares storage");
        assertExact("view values", Ref.of(s(4, 6), i -> i), v);
        assertArrayEquals(new int[] {24}, x.view(-1).shape());
        assertArrayEquals(new int[] {1, 24, 1}, x.view(1, -1, 1).shape());
        NDArray t = x.transpose(0, 2);           // [4, 3, 2], not contiguous
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(24));
        assertTrue(e.getMessage().contains("view") && e.getMessage().contains("reshape"), e.getMessage());
        NDArray rs = t.reshape(24);
        assertFalse(rs.sharesStorageWith(x), "reshape copies when a view is impossible");
        assertExact("reshape of a transpose", Ref.of(s(2, 3, 4), i -> i).permute(2, 1, 0).reshape(24), rs);
        assertTrue(x.reshape(6, 4).sharesStorageWith(x), "reshape of a contiguous array is a view");
        // splitting a non-contiguous dim that keeps its stride structure is still a view
        NDArray split = t.view(2, 2, 3, 2);
        assertTrue(split.sharesStorageWith(x));
        assertExact("view splitting a permuted dim", Ref.of(s(2, 3, 4), i -> i).permute(2, 1, 0).reshape(2, 2, 3, 2), split);
        // a view of a view writes through to the base
        x.view(24).narrow(0, 5, 1).fillInPlace(-1);
        assertEquals(-1.0, x.get(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> x.view(5, 5));
        assertThrows(IllegalArgumentException.class, () -> x.view(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> x.reshape(7, -1));
        NDArray empty = NDArray.zeros(DType.F32, device(), 0, 3);
        assertArrayEquals(new int[] {3, 0}, empty.view(3, 0).shape());
        assertArrayEquals(new int[] {}, NDArray.scalar(2, DType.F32, device()).view().shape());
        assertArrayEquals(new int[] {1, 1}, NDArray.scalar(2, DType.F32, device()).view(1, -1).shape());
        Random r = rnd(4000);
        for (Layout l : Layout.values()) {
            Input a = input(s(6, 5), DType.I64, l, r, GENERAL);
            assertExact("reshape " + a, a.ref().reshape(3, 10), a.a().reshape(3, 10));
            assertExact("reshape " + a, a.ref().reshape(30), a.a().reshape(-1));
        }
    }

    @Test
    void permuteTransposeT() {
        Random r = rnd(4100);
        for (Layout l : Layout.values()) {
            for (DType t : ALL) {
                Input a = input(s(2, 3, 5), t, l, r, GENERAL);
                NDArray p = a.a().permute(2, 0, 1);
                assertTrue(p.sharesStorageWith(a.a()));
                assertExact("permute " + a, a.ref().permute(2, 0, 1), p);
                assertExact("permute negative dims " + a, a.ref().permute(1, 2, 0), a.a().permute(-2, -1, 0));
                assertExact("transpose " + a, a.ref().permute(2, 1, 0), a.a().transpose(0, -1));
                Input m = input(s(13, 5), t, l, r, GENERAL);
                assertExact("t " + m, m.ref().permute(1, 0), m.a().t());
                assertExact("t().t() " + m, m.ref(), m.a().t().t());
            }
        }
        NDArray v = vec(DType.F32, 1, 2, 3);
        assertSame(v, v.t(), "t of a 1-D array is the array itself");
        assertThrows(IllegalArgumentException.class, () -> iota(DType.F32, 2, 2, 2).t());
        assertThrows(IllegalArgumentException.class, () -> iota(DType.F32, 2, 3).permute(0, 0));
        assertThrows(IllegalArgumentException.class, () -> iota(DType.F32, 2, 3).permute(0));
        assertThrows(IllegalArgumentException.class, () -> iota(DType.F32, 2, 3).permute(0, 2));
        NDArray x = iota(DType.F32, 2, 3);
        x.t().select(0, 2).fillInPlace(-5);     // column 2 of x
        assertExact("write through t()", Ref.values(s(2, 3), 0, 1, -5, 3, 4, -5), x);
    }

    /**
     * One slice bound as PySlice_AdjustIndices adjusts it: a negative one counts from the end, and it is clamped to
     * {@code [0, n]} for a positive step, {@code [-1, n - 1]} for a negative one.
     */
    private static long adjustBound(long bound, int n, int step) {
        long b = bound < 0 ? bound + n : bound;
        if (b < 0) {
            return step < 0 ? -1 : 0;
        }
        return b >= n ? (step < 0 ? n - 1 : n) : b;
    }

    /** CPython's PySlice_AdjustIndices: the indices a slice selects. */
    static int[] pySlice(int n, int start, int stop, int step) {
        long st = adjustBound(start, n, step);
        long sp = adjustBound(stop, n, step);
        long len;
        if (step < 0) {
            len = sp < st ? (st - sp - 1) / -step + 1 : 0;
        } else {
            len = st < sp ? (sp - st - 1) / step + 1 : 0;
        }
        int[] r = new int[(int) len];
        for (int i = 0; i < len; i++) {
            r[i] = (int) (st + (long) i * step);
        }
        return r;
    }

    @Test
    void sliceHasPythonSemantics() {
        Failures f = new Failures();
        int[] bounds = {Integer.MIN_VALUE, -100, -9, -8, -7, -5, -3, -2, -1, 0, 1, 2, 3, 5, 6, 7, 8, 9, 100, Integer.MAX_VALUE};
        int[] steps = {-3, -2, -1, 1, 2, 3, 100};
        for (int n : new int[] {0, 1, 2, 7}) {
            NDArray base = iota(DType.I32, 3, n);
            Ref ref = Ref.of(s(3, n), i -> i);
            for (int start : bounds) {
                for (int stop : bounds) {
                    for (int step : steps) {
                        int[] sel = pySlice(n, start, stop, step);
                        f.check("n=" + n + " [" + start + ":" + stop + ":" + step + "]", () -> {
                            NDArray v = base.slice(1, start, stop, step);
                            assertTrue(v.sharesStorageWith(base));
                            assertExact("slice", Ref.of(s(3, sel.length), i -> ref.at(i / sel.length, sel[i % sel.length])), v);
                        });
                    }
                }
            }
        }
        f.done();
        NDArray x = iota(DType.F64, 10);
        assertExact("slice(0, 2, 8)", Ref.values(s(6), 2, 3, 4, 5, 6, 7), x.slice(0, 2, 8));
        assertExact("reverse", Ref.of(s(10), i -> 9 - i), x.slice(0, -1, Integer.MIN_VALUE, -1));
        assertExact("step -2 from the end", Ref.values(s(5), 9, 7, 5, 3, 1), x.slice(0, 9, Integer.MIN_VALUE, -2));
        assertExact("slice of a slice", Ref.values(s(2), 7, 3),
                x.slice(0, 9, Integer.MIN_VALUE, -2).slice(0, 1, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 5, 0), "step 0");
        assertThrows(IllegalArgumentException.class, () -> x.slice(1, 0, 5, 1), "dim out of range");
        NDArray y = iota(DType.F32, 4, 6);
        y.slice(1, 5, Integer.MIN_VALUE, -2).slice(0, 1, 4, 2).fillInPlace(-1);
        Ref exp = Ref.of(s(4, 6), i -> (i / 6 == 1 || i / 6 == 3) && i % 2 == 1 ? -1 : i);
        assertExact("writes through a negative-step slice", exp, y);
    }

    @Test
    void narrowAndSelect() {
        Random r = rnd(4200);
        for (Layout l : Layout.values()) {
            Input a = input(s(7, 5), DType.F64, l, r, GENERAL);
            assertExact("narrow " + a, Ref.of(s(3, 5), i -> a.ref().v[i + 10]), a.a().narrow(0, 2, 3));
            assertExact("narrow negative start " + a, Ref.of(s(7, 2), i -> a.ref().at(i / 2, 3 + i % 2)), a.a().narrow(1, -2, 2));
            assertExact("select " + a, Ref.of(s(7), i -> a.ref().at(i, 4)), a.a().select(1, -1));
            assertExact("select " + a, Ref.of(s(5), i -> a.ref().at(6, i)), a.a().select(0, 6));
            assertArrayEquals(new int[] {0, 5}, a.a().narrow(0, 7, 0).shape(), "empty narrow at the end");
        }
        NDArray x = iota(DType.F32, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 2, 3), "narrow past the end");
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, -5, 1), "narrow before the start");
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 0, -1), "negative length");
        assertThrows(IllegalArgumentException.class, () -> x.select(1, 3), "select past the end");
        assertThrows(IllegalArgumentException.class, () -> x.select(0, -5), "select before the start");
        assertThrows(IllegalArgumentException.class, () -> NDArray.scalar(1, DType.F32, device()).select(0, 0), "select on 0-d");
        NDArray s0 = x.select(0, 2);
        assertEquals(6, s0.offset() - x.offset(), "select is an offset view");
        s0.fillInPlace(9);
        assertExact("select writes through", Ref.of(s(4, 3), i -> i / 3 == 2 ? 9 : i), x);
        assertEquals(0, x.select(0, 1).select(0, 1).dim());
    }

    @Test
    void expandAndBroadcastTo() {
        NDArray x = arr(DType.I32, s(3, 1), 1, 2, 3);
        NDArray e = x.expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertEquals(0, e.stride(0));
        assertEquals(0, e.stride(2));
        assertTrue(e.sharesStorageWith(x));
        assertExact("expand", Ref.of(s(2, 3, 4), i -> (i / 4) % 3 + 1), e);
        assertExact("expand with -1", Ref.of(s(3, 5), i -> i / 5 + 1), x.expand(-1, 5));
        assertExact("broadcastTo", Ref.of(s(3, 2), i -> i / 2 + 1), x.broadcastTo(3, 2));
        assertArrayEquals(new int[] {3, 0}, x.expand(3, 0).shape(), "expanding to size 0");
        assertExact("expand of a 0-d array", Ref.of(s(2, 2), i -> 5), NDArray.scalar(5, DType.F64, device()).expand(2, 2));
        assertThrows(IllegalArgumentException.class, () -> x.expand(4, 4), "size 3 is not 1");
        assertThrows(IllegalArgumentException.class, () -> x.expand(4), "fewer dims");
        assertThrows(IllegalArgumentException.class, () -> x.expand(-1, 3, 1), "-1 for a new leading dim");
        Random r = rnd(4300);
        for (Layout l : Layout.values()) {
            Input a = input(s(1, 5), DType.F32, l, r, GENERAL);
            assertExact("expand " + a, a.ref().expand(s(4, 6, 5)), a.a().expand(4, 6, 5));
        }
    }

    @Test
    void squeezeUnsqueezeFlattenUnflatten() {
        NDArray x = iota(DType.F32, 1, 3, 1, 2);
        assertArrayEquals(new int[] {3, 2}, x.squeeze().shape());
        assertArrayEquals(new int[] {1, 3, 2}, x.squeeze(2).shape());
        assertArrayEquals(new int[] {1, 3, 2}, x.squeeze(-2).shape());
        assertArrayEquals(new int[] {1, 3, 1, 2}, x.squeeze(1).shape(), "squeeze of a size-3 dim is a no-op");
        assertArrayEquals(new int[] {}, NDArray.ones(DType.F32, device(), 1, 1).squeeze().shape());
        assertArrayEquals(new int[] {1, 1, 3, 1, 2}, x.unsqueeze(0).shape());
        assertArrayEquals(new int[] {1, 3, 1, 2, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 3, 1, 1, 2}, x.unsqueeze(3).shape());
        assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(5));
        assertThrows(IllegalArgumentException.class, () -> x.squeeze(4));
        assertArrayEquals(new int[] {1}, NDArray.scalar(1, DType.F32, device()).unsqueeze(0).shape());
        Random r = rnd(4400);
        for (Layout l : Layout.values()) {
            Input a = input(s(4, 3, 5), DType.I64, l, r, GENERAL);
            NDArray u = a.a().unsqueeze(1);
            assertTrue(u.sharesStorageWith(a.a()));
            assertExact("unsqueeze " + a, a.ref().reshape(4, 1, 3, 5), u);
            assertExact("unsqueeze then squeeze " + a, a.ref(), u.squeeze(1));
            assertExact("flatten " + a, a.ref().reshape(60), a.a().flatten());
            assertExact("flatten(1, 2) " + a, a.ref().reshape(4, 15), a.a().flatten(1, 2));
            assertExact("flatten(0, -2) " + a, a.ref().reshape(12, 5), a.a().flatten(0, -2));
            assertExact("unflatten " + a, a.ref().reshape(2, 2, 3, 5), a.a().unflatten(0, 2, -1));
            assertExact("unflatten last " + a, a.ref().reshape(4, 3, 5, 1), a.a().unflatten(-1, 5, 1));
        }
        NDArray c = iota(DType.F32, 2, 3, 4);
        assertTrue(c.flatten().sharesStorageWith(c), "flatten of a contiguous array is a view");
        assertArrayEquals(new int[] {1}, NDArray.scalar(3, DType.F32, device()).flatten().shape());
        assertThrows(IllegalArgumentException.class, () -> c.flatten(2, 1));
        assertThrows(IllegalArgumentException.class, () -> c.unflatten(1, 2, 2));
    }

    @Test
    void asStrided() {
        NDArray x = iota(DType.F32, 10);
        NDArray w = x.asStrided(new int[] {4, 3}, new int[] {2, 1}, 1);    // sliding windows
        assertTrue(w.sharesStorageWith(x));
        assertExact("windows", Ref.of(s(4, 3), i -> 1 + 2 * (i / 3) + i % 3), w);
        assertExact("reversed", Ref.of(s(5), i -> 9 - 2 * i), x.asStrided(new int[] {5}, new int[] {-2}, 9));
        assertExact("stride 0", Ref.of(s(3), i -> 4), x.asStrided(new int[] {3}, new int[] {0}, 4));
        assertArrayEquals(new int[] {0, 3}, x.asStrided(new int[] {0, 3}, new int[] {100, 100}, 50).shape(),
                "an empty view may point anywhere");
        assertExact("last element", Ref.values(s(1), 9), x.asStrided(new int[] {1}, new int[] {1}, 9));
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {4, 3}, new int[] {3, 1}, 1), "past the end");
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {2}, new int[] {-1}, 0), "before the start");
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {1}, new int[] {1}, 10), "offset past the end");
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {1}, new int[] {1}, -1), "negative offset");
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {2, 2}, new int[] {1}, 0), "rank mismatch");
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {-1}, new int[] {1}, 0), "negative size");
        NDArray sub = x.narrow(0, 5, 5);
        assertExact("asStrided offsets are storage offsets", Ref.values(s(2), 0, 1), sub.asStrided(new int[] {2}, new int[] {1}, 0));
    }

    @Test
    void splitAndChunkAreViews() {
        NDArray x = iota(DType.F64, 7, 4);
        List<NDArray> parts = x.split(3, 0);
        assertEquals(3, parts.size());
        assertArrayEquals(new int[] {3, 4}, parts.get(0).shape());
        assertArrayEquals(new int[] {1, 4}, parts.get(2).shape());
        assertExact("split piece", Ref.of(s(3, 4), i -> 12 + i), parts.get(1));
        int v0 = x.version();
        parts.get(1).fillInPlace(-1);
        assertTrue(x.version() > v0, "writing a piece bumps the base's version");
        assertExact("fillInPlace on a split piece reaches the base", Ref.of(s(7, 4), i -> i / 4 >= 3 && i / 4 < 6 ? -1 : i), x);
        List<NDArray> cols = x.split(new int[] {1, 0, 3}, 1);
        assertEquals(3, cols.size());
        assertArrayEquals(new int[] {7, 0}, cols.get(1).shape());
        cols.get(2).copyFrom(NDArray.zeros(DType.F64, device(), 7, 3));
        assertExact("copyFrom into a split piece reaches the base", Ref.of(s(7, 4), i -> i % 4 == 0 ? (i / 4 >= 3 && i / 4 < 6 ? -1 : i) : 0), x);
        assertThrows(IllegalArgumentException.class, () -> x.split(new int[] {1, 2}, 1), "sizes must add up");
        assertThrows(IllegalArgumentException.class, () -> x.split(0, 0), "split size 0");

        NDArray y = iota(DType.I32, 7);
        int[] sizes = y.chunk(3, 0).stream().mapToInt(a -> a.size(0)).toArray();
        assertArrayEquals(new int[] {3, 3, 1}, sizes, "chunk(3) of 7");
        assertArrayEquals(new int[] {2, 2, 2}, iota(DType.I32, 6).chunk(4, 0).stream().mapToInt(a -> a.size(0)).toArray(),
                "chunk(4) of 6 gives 3 chunks as torch.chunk");
        assertEquals(1, iota(DType.I32, 2).chunk(1, 0).size());
        assertThrows(IllegalArgumentException.class, () -> y.chunk(0, 0));
        List<NDArray> ch = y.chunk(3, -1);
        ch.get(2).fillInPlace(100);
        assertExact("chunk writes through", Ref.values(s(7), 0, 1, 2, 3, 4, 5, 100), y);
        assertTrue(ch.get(0).sharesStorageWith(y));
        NDArray tr = iota(DType.F32, 4, 6).t();
        List<NDArray> tp = tr.split(2, 1);
        assertExact("split of a transposed view", Ref.of(s(6, 2), i -> (i / 2) + 6 * (2 + i % 2)), tp.get(1));
    }

    @Test
    void contiguousAndCopy() {
        NDArray x = iota(DType.F32, 3, 4);
        assertSame(x, x.contiguous(), "contiguous() of a contiguous array returns it");
        assertTrue(x.isContiguous());
        NDArray t = x.t();
        assertFalse(t.isContiguous());
        NDArray c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertFalse(c.sharesStorageWith(x));
        assertExact("contiguous of a transpose", Ref.of(s(3, 4), i -> i).permute(1, 0), c);
        assertTrue(x.narrow(0, 1, 2).isContiguous(), "a row block is contiguous");
        NDArray row = x.select(0, 1);
        assertSame(row, row.contiguous(), "a row is contiguous and returned as is");
        assertTrue(NDArray.ones(DType.F32, device(), 3, 1).expand(3, 1).isContiguous());
        assertFalse(NDArray.ones(DType.F32, device(), 3, 1).expand(3, 2).isContiguous());
        Random r = rnd(4500);
        for (Layout l : Layout.values()) {
            for (DType dt : ALL) {
                Input a = input(s(13, 5), dt, l, r, GENERAL);
                NDArray cp = a.a().copy();
                assertFalse(cp.sharesStorageWith(a.a()), "copy never shares storage");
                assertTrue(cp.isContiguous());
                assertValues("copy " + a, dt, a.ref(), cp);
                NDArray ct = a.a().contiguous();
                assertTrue(ct.isContiguous());
                assertValues("contiguous " + a, dt, a.ref(), ct);
                if (a.a().isContiguous()) {
                    assertSame(a.a(), ct);
                }
            }
        }
        NDArray cp = x.copy();
        cp.fillInPlace(0);
        assertExact("copy is independent", Ref.of(s(3, 4), i -> i), x);
    }
}
