/*
 * Depthwise convolution kernels of one float dtype T (groups = C, one input channel per group, M = O / C output
 * channels per input channel), over dense row-major operands at element offsets. One work item per output element,
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

/* y[n, o, oy, ox] = sum_taps w[o, 0, i, j] * x[n, o / M, oy * SH - PH + i * DH, ox * SW - PW + j * DW] */
__kernel void depthwise_forward(__global const T* x, int xOff, __global const T* w, int wOff, __global T* y, int yOff,
        GEO, int total) {
    int id = get_global_id(0);
    if (id >= total) {
        return;
    }
    int ox = id % OW;
    int oy = id / OW % OH;
    int o = id / (OW * OH) % O;
    int n = id / (OW * OH * O);
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
    int id = get_global_id(0);
    if (id >= total) {
        return;
    }
    int ix = id % W;
    int iy = id / W % H;
    int c = id / (W * H) % C;
    int n = id / (W * H * C);
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
    int id = get_global_id(0);
    if (id >= total) {
        return;
    }
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
