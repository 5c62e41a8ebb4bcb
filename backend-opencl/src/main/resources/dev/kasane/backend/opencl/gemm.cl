/*
 * Batched GEMM C[b] = A[b] @ B[b] for a float dtype T. A ([B, M, K]) and B ([B, K, N]) have arbitrary strides
 * (transposed views and zero batch strides need no copy); C is contiguous [B, M, N] from offset co.
 *
 * Each work-group of LS x LS items computes a GEMM_TS x GEMM_TS tile of C, each item GEMM_WPT x GEMM_WPT outputs
 * spaced LS apart. K advances in steps of GEMM_TSK through tiles of A and B staged in local memory; the staging
 * loop walks along whichever of the operand's strides is 1, so global reads coalesce for either layout.
 */
#define LS (GEMM_TS / GEMM_WPT)

/*
 * Stages the current GEMM_TSK-deep slice of one operand into local memory: S[k][j] = src[(j0 + j) * sj + (k0 + k) * sk]
 * for the tile's GEMM_TS rows j (zero past J or K). The LS x LS items walk along k when KFAST (k has stride 1), else
 * along j, so that global reads coalesce.
 */
#define STAGE_TILE(S, src, j0, J, sj, sk, KFAST) \
    for (int e = lid; e < GEMM_TS * GEMM_TSK; e += LS * LS) { \
        int j = (KFAST) ? e / GEMM_TSK : e % GEMM_TS; \
        int k = (KFAST) ? e % GEMM_TSK : e / GEMM_TS; \
        int gj = (j0) + j; \
        int gk = k0 + k; \
        S[k][j] = (gj < (J) && gk < K) ? src[gj * (sj) + gk * (sk)] : (T)0; \
    }

__kernel __attribute__((reqd_work_group_size(LS, LS, 1)))
void gemm(__global const T* A, int ao, int sab, int sam, int sak,
          __global const T* B, int bo, int sbb, int sbk, int sbn,
          __global T* C, int co, int M, int N, int K) {
    __local T As[GEMM_TSK][GEMM_TS + 1];
    __local T Bs[GEMM_TSK][GEMM_TS + 1];
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int n0 = get_group_id(0) * GEMM_TS;
    const int m0 = get_group_id(1) * GEMM_TS;
    const int batch = get_global_id(2);
    const int lid = ty * LS + tx;
    __global const T* a = A + ao + batch * sab;
    __global const T* b = B + bo + batch * sbb;
    T acc[GEMM_WPT][GEMM_WPT];
    for (int i = 0; i < GEMM_WPT; i++) {
        for (int j = 0; j < GEMM_WPT; j++) {
            acc[i][j] = (T)0;
        }
    }
    const int aKFast = sak == 1;
    const int bKFast = sbk == 1 && sbn != 1;
    for (int k0 = 0; k0 < K; k0 += GEMM_TSK) {
        STAGE_TILE(As, a, m0, M, sam, sak, aKFast);
        STAGE_TILE(Bs, b, n0, N, sbn, sbk, bKFast);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < GEMM_TSK; k++) {
            T bv[GEMM_WPT];
            for (int j = 0; j < GEMM_WPT; j++) {
                bv[j] = Bs[k][tx + j * LS];
            }
            for (int i = 0; i < GEMM_WPT; i++) {
                T av = As[k][ty + i * LS];
                for (int j = 0; j < GEMM_WPT; j++) {
                    acc[i][j] += av * bv[j];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    __global T* c = C + co + batch * M * N;
    for (int i = 0; i < GEMM_WPT; i++) {
        int m = m0 + ty + i * LS;
        if (m < M) {
            for (int j = 0; j < GEMM_WPT; j++) {
                int n = n0 + tx + j * LS;
                if (n < N) {
                    c[m * N + n] = acc[i][j];
                }
            }
        }
    }
}


/*
 * The same product for CPU-like devices (no fast local memory; wide SIMD units and caches): each work item computes
 * a GEMM_MR x (GEMM_NV * GEMM_VW) block of C in registers, as GEMM_MR x GEMM_NV vectors of GEMM_VW elements (the
 * device's native vector width), adding one rank-1 update per k: GEMM_NV vector loads of a row of B, GEMM_MR scalars
 * of A broadcast, GEMM_MR x GEMM_NV fused multiply-adds. Each element of C is its k-ordered sum of fma steps, like
 * the tiled kernel. B's rows must be contiguous (stride 1 along N; the host copies B otherwise); A has any strides.
 * Rows past M repeat the last row (not stored). A block that reaches past N still runs in vectors if the columns
 * past N that it reads lie inside B's buffer (bLimit elements; the row at the highest address decides, whatever the
 * sign of B's row stride; those lanes are computed and dropped), else it
 * takes a scalar path. The register loops are unrolled (an unknown pragma is ignored).
 * Global size: (ceil(M / GEMM_MR), ceil(N / NR), batch).
 */
#define VCAT_(a, b) a##b
#define VCAT(a, b) VCAT_(a, b)
#define TV VCAT(T, GEMM_VW)
#define VLOAD VCAT(vload, GEMM_VW)
#define VSTORE VCAT(vstore, GEMM_VW)
#define GEMM_NR (GEMM_NV * GEMM_VW)

__kernel void gemm_blocked(__global const T* A, int ao, int sab, int sam, int sak,
          __global const T* B, int bo, int sbb, int sbk, int bLimit,
          __global T* C, int co, int M, int N, int K) {
    const int m0 = get_global_id(0) * GEMM_MR;
    const int n0 = get_global_id(1) * GEMM_NR;
    const int batch = get_global_id(2);
    __global const T* a = A + ao + batch * sab;
    __global const T* b = B + bo + batch * sbb;
    __global T* c = C + co + batch * M * N;
    if (n0 + GEMM_NR <= N || bo + batch * sbb + max(0, (K - 1) * sbk) + n0 + GEMM_NR <= bLimit) {
        TV acc[GEMM_MR][GEMM_NV];
        __global const T* ar[GEMM_MR];
        #pragma unroll
        for (int i = 0; i < GEMM_MR; i++) {
            ar[i] = a + min(m0 + i, M - 1) * sam;  /* rows past M repeat the last one; not stored */
            #pragma unroll
            for (int v = 0; v < GEMM_NV; v++) {
                acc[i][v] = (TV)(0);
            }
        }
        __global const T* bp = b + n0;
        for (int k = 0; k < K; k++) {
            TV bv[GEMM_NV];
            #pragma unroll
            for (int v = 0; v < GEMM_NV; v++) {
                bv[v] = VLOAD(0, bp + v * GEMM_VW);
            }
            #pragma unroll
            for (int i = 0; i < GEMM_MR; i++) {
                TV av = (TV)(ar[i][k * sak]);
                #pragma unroll
                for (int v = 0; v < GEMM_NV; v++) {
                    acc[i][v] = fma(av, bv[v], acc[i][v]);
                }
            }
            bp += sbk;
        }
        const int full = n0 + GEMM_NR <= N;
        #pragma unroll
        for (int i = 0; i < GEMM_MR; i++) {
            if (m0 + i < M) {
                __global T* cr = c + (m0 + i) * N + n0;
                #pragma unroll
                for (int v = 0; v < GEMM_NV; v++) {
                    if (full) {
                        VSTORE(acc[i][v], 0, cr + v * GEMM_VW);
                    } else {
                        T lanes[GEMM_VW];
                        VSTORE(acc[i][v], 0, lanes);
                        for (int j = 0; j < GEMM_VW && n0 + v * GEMM_VW + j < N; j++) {
                            cr[v * GEMM_VW + j] = lanes[j];
                        }
                    }
                }
            }
        }
    } else {
        /* the last columns of the last rows of B's buffer: row by row, k outer so that B is read along its rows */
        const int nr = N - n0;
        for (int i = m0; i < min(M, m0 + GEMM_MR); i++) {
            T acc[GEMM_NR];
            for (int j = 0; j < nr; j++) {
                acc[j] = 0;
            }
            for (int k = 0; k < K; k++) {
                T av = a[i * sam + k * sak];
                __global const T* bp = b + k * sbk + n0;
                for (int j = 0; j < nr; j++) {
                    acc[j] = fma(av, bp[j], acc[j]);
                }
            }
            for (int j = 0; j < nr; j++) {
                c[i * N + n0 + j] = acc[j];
            }
        }
    }
}
