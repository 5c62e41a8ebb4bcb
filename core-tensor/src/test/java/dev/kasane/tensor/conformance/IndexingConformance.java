package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * gather, scatterAdd, indexSelect, with I64 and I32 indices, strided and expanded index arrays,
 * duplicate indices, and index range errors. Values are integer-valued, so results are exact for every dtype
 * (scatterAdd of floats adds at most a few small integers per slot).
 */
public abstract class IndexingConformance extends ConformanceBase {

    private static final DType[] INDEX_TYPES = {DType.I64, DType.I32};
    private static final DType[] VALUE_TYPES = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8};

    private static final Gen SMALL = (r, t) -> t == DType.BOOL ? r.nextInt(2) : r.nextInt(50);

    /** Index values in [0, size). */
    private static Gen index(int size) {
        return (r, t) -> r.nextInt(size);
    }

    static Ref gatherRef(Ref src, int dim, Ref index) {
        return Ref.of(index.shape, i -> {
            int[] idx = Ref.unravel(index.shape, i);
            idx[dim] = (int) index.v[i];
            return src.at(idx);
        });
    }

    static Ref scatterAddRef(Ref dst, int dim, Ref index, Ref src, DType t) {
        double[] out = dst.v.clone();
        for (int i = 0; i < index.v.length; i++) {
            int[] idx = Ref.unravel(index.shape, i);
            double v = src.at(idx);
            idx[dim] = (int) index.v[i];
            int p = Ref.ravel(dst.shape, idx);
            out[p] = Ref.cast(out[p] + v, t);
        }
        return new Ref(dst.shape, out);
    }

    /** One case of {@link #forEachIndexCase}: values of dtype {@code t}, indices of {@code it}, failures recorded in {@code f}. */
    private interface IndexCase {
        void check(DType t, DType it, int[] shape, int dim, Random r, Failures f);
    }

    /**
     * Runs {@code c} on each dtype of {@code values} with each index dtype, each of {@code shapes} and each dimension
     * from {@code firstDim} (-1 to take a negative one too) to the last, drawing from one random stream of {@code seed};
     * then fails with every recorded failure.
     */
    private void forEachIndexCase(long seed, DType[] values, int[][] shapes, int firstDim, IndexCase c) {
        Random r = rnd(seed);
        Failures f = new Failures();
        for (DType t : values) {
            for (DType it : INDEX_TYPES) {
                for (int[] shape : shapes) {
                    for (int dim = firstDim; dim < shape.length; dim++) {
                        c.check(t, it, shape, dim, r, f);
                    }
                }
            }
        }
        f.done();
    }

    @Test
    void gatherEveryDimLayoutAndIndexType() {
        forEachIndexCase(3000, VALUE_TYPES, new int[][] {{7}, {13, 5}, {2, 3, 5}, {257, 129}}, -1, (t, it, ss, dim, r, f) -> {
            int d = dim < 0 ? dim + ss.length : dim;
            int[] is = ss.clone();
            is[d] = ss[d] == 7 ? 11 : Math.max(1, ss[d] - 1);
            if (is.length > 1) {
                is[(d + 1) % is.length] = Math.max(1, is[(d + 1) % is.length] - 1);
            }
            boolean big = Ref.numel(ss) > 10_000;
            Layout[] ls = big ? new Layout[] {Layout.CONTIGUOUS, Layout.MIXED} : Layout.values();
            for (Layout l : ls) {
                Input src = input(ss, t, l, r, SMALL);
                Input idx = input(is, it, l.shifted(3), r, index(ss[d]));
                f.check("gather dim " + dim + " " + src + " index " + idx, () -> {
                    NDArray out = src.a().gather(dim, idx.a());
                    assertValues("gather", t, gatherRef(src.ref(), d, idx.ref()), out);
                });
            }
        });
    }

    @Test
    void gatherWithExpandedIndexAndEmptyIndex() {
        NDArray src = arr(DType.F32, s(3, 4), 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);
        NDArray idx = NDArray.fromHost(new long[] {3, 0}, DType.I64, device(), 1, 2).expand(3, 2);
        assertExact("expanded index", Ref.values(s(3, 2), 3, 0, 13, 10, 23, 20), src.gather(1, idx));
        NDArray col = NDArray.fromHost(new int[] {2, 0, 1}, DType.I32, device(), 3, 1).expand(3, 4);
        assertExact("expanded I32 index along dim 0", Ref.values(s(3, 4), 20, 21, 22, 23, 0, 1, 2, 3, 10, 11, 12, 13),
                src.gather(0, col.slice(0, 0, 3)));
        NDArray e = src.gather(1, NDArray.zeros(DType.I64, device(), 3, 0));
        assertArrayEquals(new int[] {3, 0}, e.shape());
    }

    @Test
    void scatterAddAccumulatesDuplicates() {
        forEachIndexCase(3100, VALUE_TYPES, new int[][] {{7}, {6, 5}, {2, 3, 4}, {40, 129}}, 0, (t, it, ds, d, r, f) -> {
            int[] ss = ds.clone();
            ss[d] = ds[d] * 3 + 1;   // more sources than slots: duplicates are certain
            for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP, Layout.MIXED}) {
                Gen small = (rr, tt) -> rr.nextInt(4);
                Ref dst = randomRef(ds, t, r, small);
                Input src = input(ss, t, l, r, small);
                Input idx = input(ss, it, l.shifted(5), r, index(ds[d]));
                f.check("scatterAdd dim " + d + " " + src + " index " + idx, () -> {
                    NDArray target = embed(dst, t, l);
                    NDArray out = target.scatterAdd(d, idx.a(), src.a());
                    Ref exp = scatterAddRef(dst, d, idx.ref(), src.ref(), t);
                    assertValues("scatterAdd", t, exp, out);
                    assertExact("scatterAdd leaves its target alone", dst, target);
                    int v0 = target.version();
                    NDArray ret = target.scatterAddInPlace(d, idx.a(), src.a());
                    assertTrue(ret == target, "scatterAddInPlace returns this");
                    assertExact("scatterAddInPlace", exp, target);
                    assertTrue(target.version() > v0, "scatterAddInPlace bumps the version");
                });
            }
        });
        NDArray z = NDArray.zeros(DType.F32, device(), 3);
        NDArray idx = NDArray.fromHost(new long[] {1, 1, 1, 1, 0}, DType.I64, device(), 5);
        assertVec("duplicates accumulate", z.scatterAdd(0, idx, vec(DType.F32, 1, 2, 3, 4, 5)), 5, 10, 0);
        NDArray big = NDArray.zeros(DType.I64, device(), 2);
        NDArray allZero = NDArray.zeros(DType.I64, device(), 1).expand(70_001);
        big.scatterAddInPlace(0, allZero, NDArray.ones(DType.I64, device(), 70_001));
        assertVec("70001 adds into one slot", big, 70_001, 0);
        NDArray partial = NDArray.zeros(DType.F64, device(), 2, 3);
        partial.scatterAddInPlace(1, NDArray.fromHost(new int[] {2, 2}, DType.I32, device(), 1, 2),
                arr(DType.F64, s(2, 3), 1, 2, 3, 4, 5, 6));
        assertExact("index smaller than src uses src's leading block", Ref.values(s(2, 3), 0, 0, 3, 0, 0, 0), partial);
    }

    @Test
    void outOfRangeIndicesThrowAndLeaveTargetUnchanged() {
        NDArray src = arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        for (DType it : INDEX_TYPES) {
            NDArray bad = arr(it, s(2, 2), 0, 1, 2, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> src.gather(1, bad),
                    "gather index 3 into size 3");
            assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("out of range"), e.getMessage());
            NDArray neg = arr(it, s(2, 1), 0, -1);
            assertThrows(IllegalArgumentException.class, () -> src.gather(1, neg), "gather negative index");
            assertThrows(IllegalArgumentException.class, () -> src.indexSelect(0, vec(it, 0, 2)), "indexSelect index 2");
            assertThrows(IllegalArgumentException.class, () -> src.indexSelect(1, vec(it, -1)), "indexSelect index -1");

            for (DType t : new DType[] {DType.F32, DType.I64}) {
                NDArray target = arr(t, s(2, 3), 1, 2, 3, 4, 5, 6);
                int v0 = target.version();
                // the bad index is the very last one, so a backend that writes as it goes has already written the rest
                NDArray idx = arr(it, s(2, 3), 0, 1, 2, 2, 1, 3);
                NDArray vals = NDArray.ones(t, device(), 2, 3);
                IllegalArgumentException se = assertThrows(IllegalArgumentException.class,
                        () -> target.scatterAddInPlace(1, idx, vals));
                assertTrue(se.getMessage().contains("scatterAdd") && se.getMessage().contains("out of range"), se.getMessage());
                assertExact("scatterAdd target unchanged after a failed call", Ref.values(s(2, 3), 1, 2, 3, 4, 5, 6), target);
                assertEquals(v0, target.version(), "a failed scatterAdd must not bump the version");
                NDArray negIdx = arr(it, s(1, 3), 0, 1, -1);
                assertThrows(IllegalArgumentException.class, () -> target.scatterAddInPlace(0, negIdx, vals));
                assertExact("unchanged after a negative index", Ref.values(s(2, 3), 1, 2, 3, 4, 5, 6), target);
                NDArray big = NDArray.zeros(t, device(), 70_001);
                NDArray bigIdx = NDArray.zeros(it, device(), 70_001);
                bigIdx.narrow(0, 70_000, 1).fillInPlace(70_001);
                assertThrows(IllegalArgumentException.class,
                        () -> big.scatterAddInPlace(0, bigIdx, NDArray.ones(t, device(), 70_001)));
                assertEquals(0.0, big.unary(UnaryOp.ABS).reduce(ReduceOp.MAX).item(), "big scatterAdd target unchanged after a failed call");
            }
        }
    }

    @Test
    void indexSelect() {
        forEachIndexCase(3200, ALL, new int[][] {{7}, {13, 5}, {2, 3, 5}, {257, 129}}, -1, (t, it, ss, dim, r, f) -> {
            int d = dim < 0 ? dim + ss.length : dim;
            Input src = input(ss, t, Layout.MIXED, r, SMALL);
            for (int len : new int[] {0, 1, 9}) {
                Input idx = input(s(len), it, Layout.NEG_STEP, r, index(ss[d]));
                f.check("indexSelect dim " + dim + " " + src + " index " + idx, () -> {
                    NDArray out = src.a().indexSelect(dim, idx.a());
                    int[] os = ss.clone();
                    os[d] = len;
                    Ref exp = Ref.of(os, i -> {
                        int[] ix = Ref.unravel(os, i);
                        ix[d] = (int) idx.ref().v[ix[d]];
                        return src.ref().at(ix);
                    });
                    assertValues("indexSelect", t, exp, out);
                });
            }
        });
        NDArray x = arr(DType.F32, s(3, 2), 1, 2, 3, 4, 5, 6);
        NDArray row = x.indexSelect(0, NDArray.scalar(2L, device()));
        assertArrayEquals(new int[] {1, 2}, row.shape(), "0-d index selects one slice, keeping the dim");
        assertExact("0-d index", Ref.values(s(1, 2), 5, 6), row);
    }

    @Test
    void indexSelectOnAnEmptyDimRejectsIndices() {
        // x has no rows, so index 0 is out of range; indexSelect must throw rather than return an uninitialised [1, 3]
        NDArray x = NDArray.zeros(DType.F32, device(), 0, 3);
        NDArray idx = NDArray.fromHost(new long[] {0}, DType.I64, device(), 1);
        assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, idx));
    }

    @Test
    void maskedFillWithNonContiguousInputs() {
        Random r = rnd(3300);
        for (Layout l : Layout.values()) {
            Input x = input(s(257, 129), DType.F32, l, r, GENERAL);
            Input m = input(s(129), DType.BOOL, l == Layout.CONTIGUOUS ? Layout.NEG_STEP : Layout.STEP2, r, GENERAL);
            NDArray out = x.a().maskedFill(m.a(), Double.NEGATIVE_INFINITY);
            Ref exp = Ref.zip(x.ref(), m.ref(), (v, b) -> b != 0 ? Double.NEGATIVE_INFINITY : v);
            assertValues("maskedFill " + x + " mask " + m, DType.F32, exp, out);
            assertTrue(out.isContiguous() && !out.sharesStorageWith(x.a()));
        }
    }
}
