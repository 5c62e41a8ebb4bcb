/*
 * Convolution kernels of one float dtype T: the direct depthwise ones, then the im2col / col2im lowering of the others
 * to the GEMM kernels (at the end of the file).
 *
 * Depthwise convolutions (groups = C, one input channel per group, M = O / C output channels per input channel), over
 * dense row-major operands at element offsets: one work item per output element,
 * summing its taps in row-major order (and, for the input gradient, the group's output channels in order), so the
 * result does not depend on the work-group size.
 *
 * The geometry is passed by value: N, C, H, W, O, KH, KW, OH, OW, SH, SW, PH, PW, DH, DW (the host packs int[15]).
 */
typedef struct {
    int v[15];
} ConvGeo;

#define GEO ConvGeo geo
#define g geo.v
#define N g[0]
#define C g[1]
#define H g[2]
#define W g[3]
#define O g[4]
#define KH g[5]
#define KW g[6]
#define OH g[7]
#define OW g[8]
#define SH g[9]
#define SW g[10]
#define PH g[11]
#define PW g[12]
#define DH g[13]
#define DW g[14]

/* The work item's flat index `id`; items past `total` (the last group's padding) return at once. */
#define WORK_ITEM(id, total) \
    int id = get_global_id(0); \
    if (id >= (total)) { \
        return; \
    }

/* The coordinates (a, b, c, d) of flat index `id` in a [*, B, C, D] grid, d fastest. */
#define UNRAVEL4(id, B, C_, D, a, b, c, d) \
    int d = (id) % (D); \
    int c = (id) / (D) % (C_); \
    int b = (id) / ((D) * (C_)) % (B); \
    int a = (id) / ((D) * (C_) * (B));

/* y[n, o, oy, ox] = sum_taps w[o, 0, i, j] * x[n, o / M, oy * SH - PH + i * DH, ox * SW - PW + j * DW] */
__kernel void depthwise_forward(__global const T* x, int xOff, __global const T* w, int wOff, __global T* y, int yOff,
        GEO, int total) {
    WORK_ITEM(id, total)
    UNRAVEL4(id, O, OH, OW, n, o, oy, ox)
    __global const T* plane = x + xOff + (n * C + o / (O / C)) * H * W;
    __global const T* k = w + wOff + o * KH * KW;
    T acc = 0;
    for (int i = 0; i < KH; i++) {
        int iy = oy * SH - PH + i * DH;
        if (iy < 0 || iy >= H) {
            continue;
        }
        for (int j = 0; j < KW; j++) {
            int ix = ox * SW - PW + j * DW;
            if (ix >= 0 && ix < W) {
                acc += k[i * KW + j] * plane[iy * W + ix];
            }
        }
    }
    y[yOff + id] = acc;
}

/* dx[n, c, iy, ix] = sum over the group's outputs o and the taps that read (iy, ix) of w[o, 0, i, j] * go[n, o, oy, ox] */
__kernel void depthwise_input_grad(__global const T* go, int goOff, __global const T* w, int wOff, __global T* dx,
        int dxOff, GEO, int total) {
    WORK_ITEM(id, total)
    UNRAVEL4(id, C, H, W, n, c, iy, ix)
    int m = O / C;
    T acc = 0;
    for (int o = c * m; o < (c + 1) * m; o++) {
        __global const T* plane = go + goOff + (n * O + o) * OH * OW;
        __global const T* k = w + wOff + o * KH * KW;
        for (int i = 0; i < KH; i++) {
            int ty = iy + PH - i * DH;
            if (ty < 0 || ty % SH != 0 || ty / SH >= OH) {
                continue;
            }
            for (int j = 0; j < KW; j++) {
                int tx = ix + PW - j * DW;
                if (tx >= 0 && tx % SW == 0 && tx / SW < OW) {
                    acc += k[i * KW + j] * plane[ty / SH * OW + tx / SW];
                }
            }
        }
    }
    dx[dxOff + id] = acc;
}

/* dw[o, 0, i, j] = sum over n, oy, ox (in that order) of go[n, o, oy, ox] * x[n, o / M, iy, ix] */
__kernel void depthwise_weight_grad(__global const T* x, int xOff, __global const T* go, int goOff, __global T* dw,
        int dwOff, GEO, int total) {
    WORK_ITEM(id, total)
    int j = id % KW;
    int i = id / KW % KH;
    int o = id / (KW * KH);
    int c = o / (O / C);
    T acc = 0;
    for (int n = 0; n < N; n++) {
        __global const T* plane = x + xOff + (n * C + c) * H * W;
        __global const T* grad = go + goOff + (n * O + o) * OH * OW;
        for (int oy = 0; oy < OH; oy++) {
            int iy = oy * SH - PH + i * DH;
            if (iy < 0 || iy >= H) {
                continue;
            }
            for (int ox = 0; ox < OW; ox++) {
                int ix = ox * SW - PW + j * DW;
                if (ix >= 0 && ix < W) {
                    acc += grad[oy * OW + ox] * plane[iy * W + ix];
                }
            }
        }
    }
    dw[dwOff + id] = acc;
}

/*
 * The lowering of ordinary (not depthwise) convolutions to the GEMM kernels, over dense operands: im2col in either
 * layout, and col2im. G is the number of groups, CG = C / G the input channels per group. The row kernels give each
 * work item a run of `run` consecutive positions along a row (row_run; the host passes RUN unless a test picks
 * another length).
 */

/* ceil(a / b) for b > 0 and any a */
inline int ceil_div(int a, int b) {
    return a >= 0 ? (a + b - 1) / b : -(-a / b);
}

/*
 * cols[n, c, i, j, oy, ox] = x[n, c, oy * SH - PH + i * DH, ox * SW - PW + j * DW], 0 outside the input: the operand
 * B of the forward GEMM ([N * G, CG * KH * KW, OH * OW]). One work item per run of ox in a row (n, c, i, j, oy).
 */
__kernel void im2col_rows(__global const T* x, int xOff, __global T* cols, int colsOff, GEO, int run, int total) {
    WORK_ITEM(id, total)
    int ox0, ox1;
    int row = row_run(id, OW, run, &ox0, &ox1);
    int oy = row % OH;
    int j = row / OH % KW;
    int i = row / (OH * KW) % KH;
    int nc = row / (OH * KW * KH);
    int iy = oy * SH - PH + i * DH;
    __global T* out = cols + colsOff + row * OW;
    if (iy < 0 || iy >= H) {
        for (int ox = ox0; ox < ox1; ox++) {
            out[ox] = 0;
        }
        return;
    }
    __global const T* line = x + xOff + (nc * H + iy) * W;
    for (int ox = ox0; ox < ox1; ox++) {
        int ix = ox * SW - PW + j * DW;
        out[ox] = ix >= 0 && ix < W ? line[ix] : (T)0;
    }
}

/*
 * colsT[g, n, oy, ox, c', i, j] = x[n, g * CG + c', oy * SH - PH + i * DH, ox * SW - PW + j * DW], 0 outside: the
 * transposed im2col, operand B of the weight-gradient GEMM ([G, N * OH * OW, CG * KH * KW], rows contiguous). One
 * work item per output position (g, n, oy, ox), writing its CG * KH * KW values.
 */
__kernel void im2col_cols(__global const T* x, int xOff, __global T* cols, int colsOff, GEO, int G, int total) {
    WORK_ITEM(id, total)
    UNRAVEL4(id, N, OH, OW, grp, n, oy, ox)
    int cg = C / G;
    __global T* out = cols + colsOff + id * cg * KH * KW;
    for (int c = 0; c < cg; c++) {
        __global const T* plane = x + xOff + (n * C + grp * cg + c) * H * W;
        for (int i = 0; i < KH; i++) {
            int iy = oy * SH - PH + i * DH;
            for (int j = 0; j < KW; j++) {
                int ix = ox * SW - PW + j * DW;
                *out++ = iy >= 0 && iy < H && ix >= 0 && ix < W ? plane[iy * W + ix] : (T)0;
            }
        }
    }
}

/*
 * dx[n, c, y, x] = the sum, over the taps (i, j) in row-major order, of cols[n, c, i, j, oy, ox] for the output
 * position (oy, ox) whose window reads (y, x) through that tap: col2im, the last step of the input gradient (the
 * same order of additions as the composed default). One work item per run of x in a row (n, c, y); each tap's
 * output positions are found by two divisions per run, none per element.
 */
__kernel void col2im(__global const T* cols, int colsOff, __global T* dx, int dxOff, GEO, int run, int total) {
    WORK_ITEM(id, total)
    int x0, x1;
    int row = row_run(id, W, run, &x0, &x1);
    int y = row % H;
    int nc = row / H;
    __global T* out = dx + dxOff + row * W;
    for (int x = x0; x < x1; x++) {
        out[x] = 0;
    }
    for (int i = 0; i < KH; i++) {
        int ty = y + PH - i * DH;
        if (ty < 0 || ty % SH != 0 || ty / SH >= OH) {
            continue;
        }
        for (int j = 0; j < KW; j++) {
            __global const T* src = cols + colsOff + ((nc * KH + i) * KW + j) * OH * OW + ty / SH * OW;
            int shift = j * DW - PW;  /* x = ox * SW + shift */
            int lo = max(0, ceil_div(x0 - shift, SW));
            int hi = min(OW, ceil_div(x1 - shift, SW));
            for (int ox = lo; ox < hi; ox++) {
                out[ox * SW + shift] += src[ox];
            }
        }
    }
}
