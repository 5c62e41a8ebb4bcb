/*
 * Index kernels of one dtype T, for I32 (suffix i32) and I64 (suffix i64) indices. An out-of-range index never
 * touches memory; its row-major position among the index elements is recorded with atomic_min in *bad (which
 * the host sets to INT_MAX first), so the host reports the first bad index deterministically.
 */

#define INDEX_KERNELS(IT, SUF) \
/* L: shape of index/dst; operand 0 dst, 1 index, 2 src (stride 0 along dim). */ \
__kernel void gather_##SUF(__global const T* src, int srcDimStride, int srcDimSize, __global const IT* idx, \
        __global T* dst, Layout L, int n, __global int* bad) { \
    ELEMENT_OFFSETS(i, n, L, 3, o); \
    IT v = idx[o[1]]; \
    if (v < 0 || v >= srcDimSize) { \
        atomic_min(bad, i); \
        dst[o[0]] = (T)0; \
        return; \
    } \
    dst[o[0]] = src[o[2] + (int)v * srcDimStride]; \
} \
/* L: shape of index; operand 0 index. */ \
__kernel void check_index_##SUF(__global const IT* idx, Layout L, int n, int size, __global int* bad) { \
    ELEMENT_OFFSETS(i, n, L, 1, o); \
    IT v = idx[o[0]]; \
    if (v < 0 || v >= size) { \
        atomic_min(bad, i); \
    } \
} \
/* L: shape of index with size 1 along dim (one work item per fiber); operand 0 dst, 1 index, 2 src. Each work \
   item walks its fiber in order, so no two work items write one destination element and sums are deterministic. */ \
__kernel void scatter_add_##SUF(__global T* dst, int dstDimStride, __global const IT* idx, int idxDimStride, \
        __global const T* src, int srcDimStride, int len, Layout L, int n, __global const int* bad) { \
    if (*bad != INT_MAX) { \
        return; \
    } \
    ELEMENT_OFFSETS(i, n, L, 3, o); \
    for (int j = 0; j < len; j++) { \
        int v = (int)idx[o[1] + j * idxDimStride]; \
        int d = o[0] + v * dstDimStride; \
        dst[d] = NORM(dst[d] + src[o[2] + j * srcDimStride]); \
    } \
}

INDEX_KERNELS(int, i32)
INDEX_KERNELS(long, i64)
