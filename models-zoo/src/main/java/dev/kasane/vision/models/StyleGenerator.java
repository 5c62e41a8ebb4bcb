package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.MappingNetwork;
import dev.kasane.nn.ModulatedConv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ModuleList;
import dev.kasane.nn.NoiseInjection;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small StyleGAN2-style generator (Karras et al. 2020), its PyTorch definition in the zoo's test sources
 * ({@code gen_stylegan_fixtures.py}): a {@link MappingNetwork} from z to w (with {@code w_avg} for truncation), a
 * learned constant 4x4 input, then one synthesis block per resolution 4, 8, 16, ...: two 3x3
 * {@link ModulatedConv2d} (demodulated; the first of each block after 4x4 on the input upsampled x2 bilinearly; 4x4
 * has one), each followed by a {@link NoiseInjection}, a bias and leaky ReLU(0.2) times sqrt(2); and StyleGAN2's skip
 * architecture for the output: every block adds its toRGB (a 1x1 modulated convolution without demodulation, plus a
 * bias) to the upsampled image so far. The output is linear (no tanh). Layer {@code i} takes its own w,
 * {@code ws[:, i]}, which makes style mixing a matter of which w each layer gets. Not included: StyleGAN2's blur
 * (FIR) filters, weight-demodulated fused upsampling, and the path length regularizer.
 *
 * <pre>{@code
 * StyleGenerator g = new StyleGenerator(64, 64, 4, 1, 128, 128, 64, 32);  // 32x32, one channel
 * Tensor images = g.forward(Tensor.randn(16, 64));                        // [16, 1, 32, 32], random noise inputs
 * Tensor ws = g.styles(Tensor.randn(16, 64), 0.7);                        // truncated styles [16, numWs, 64]
 * Tensor mixed = g.synthesis(g.mix(ws, g.styles(Tensor.randn(16, 64), 0.7), 4), null);
 * }</pre>
 */
public class StyleGenerator extends Module {
    private final int[] channels;
    private final int wDim;
    private final MappingNetwork mapping;
    private final StyledConv conv1;
    private final ToRgb toRgb1;
    private final ModuleList convs = new ModuleList();
    private final ModuleList toRgbs = new ModuleList();

    /**
     * @param zDim the latent z's size
     * @param wDim the latent w's size
     * @param mappingLayers layers of the mapping network (8 in StyleGAN; learning-rate multiplier 0.01, w_avg decay 0.995)
     * @param imageChannels output channels
     * @param channels the widths at 4x4, 8x8, ... (the output is 4 * 2^(channels.length - 1) square)
     */
    public StyleGenerator(int zDim, int wDim, int mappingLayers, int imageChannels, int... channels) {
        if (channels.length == 0 || Arrays.stream(channels).anyMatch(c -> c < 1) || imageChannels < 1) {
            throw new IllegalArgumentException("StyleGenerator: expected positive widths from 4x4 up and image channels, got "
                    + Arrays.toString(channels) + " and " + imageChannels);
        }
        this.channels = channels.clone();
        this.wDim = wDim;
        mapping = registerModule("mapping", new MappingNetwork(zDim, wDim, mappingLayers, 0.01, 0.995));
        registerParameter("input", Tensor.randn(1, channels[0], 4, 4));
        conv1 = registerModule("conv1", new StyledConv(channels[0], channels[0], wDim, false));
        toRgb1 = registerModule("to_rgb1", new ToRgb(channels[0], imageChannels, wDim));
        for (int j = 1; j < channels.length; j++) {
            convs.add(new StyledConv(channels[j - 1], channels[j], wDim, true));
            convs.add(new StyledConv(channels[j], channels[j], wDim, false));
            toRgbs.add(new ToRgb(channels[j], imageChannels, wDim));
        }
        registerModule("convs", convs);
        registerModule("to_rgbs", toRgbs);
    }

    /** The mapping network (its {@code truncate} and {@code wAvg}). */
    public MappingNetwork mapping() {
        return mapping;
    }

    /** How many ws the synthesis takes: two per resolution. */
    public int numWs() {
        return 2 * channels.length;
    }

    /** The output's height and width. */
    public int resolution() {
        return 4 << (channels.length - 1);
    }

    /** How many noise inputs the synthesis takes: two per resolution but 4x4's one; the k-th is [N, 1, r, r]. */
    public int numNoises() {
        return 2 * channels.length - 1;
    }

    /** Images for latents z [N, zDim], no truncation, each layer the same w, fresh noise. */
    @Override
    public Tensor forward(Tensor z) {
        return synthesis(styles(z, 1), null);
    }

    /**
     * The styles for z [N, zDim]: {@code mapping(z)} (which, in training, updates {@code w_avg}), truncated with
     * {@code psi} (1 = none), repeated for every layer: [N, numWs, wDim].
     */
    public Tensor styles(Tensor z, double psi) {
        Tensor w = mapping.truncate(mapping.forward(z), psi);
        return w.unsqueeze(1).expand(w.size(0), numWs(), wDim);
    }

    /**
     * Style mixing: layers {@code 0 .. crossover - 1} take their w from {@code ws1}, the others from {@code ws2} (both
     * [N, numWs, wDim]); crossover 0 gives ws2, numWs gives ws1.
     */
    public Tensor mix(Tensor ws1, Tensor ws2, int crossover) {
        checkStyles(ws1);
        checkStyles(ws2);
        if (crossover < 0 || crossover > numWs() || ws1.size(0) != ws2.size(0)) {
            throw error("mix: crossover must be in [0, " + numWs() + "] and the batches equal, got " + crossover + " for "
                    + ws1.describe() + " and " + ws2.describe());
        }
        if (crossover == 0 || crossover == numWs()) {
            return crossover == 0 ? ws2 : ws1;
        }
        return Tensor.cat(List.of(ws1.narrow(1, 0, crossover), ws2.narrow(1, crossover, numWs() - crossover)), 1);
    }

    /**
     * The synthesis network.
     *
     * @param ws the styles [N, numWs, wDim]
     * @param noise {@link #numNoises()} maps ([N, 1, r, r], r the resolution of their layer), or null for fresh N(0, 1)
     *     noise from the global {@link Generator}
     * @return images [N, imageChannels, resolution, resolution]
     */
    public Tensor synthesis(Tensor ws, List<Tensor> noise) {
        checkStyles(ws);
        if (noise != null && noise.size() != numNoises()) {
            throw error("synthesis: expected " + numNoises() + " noise maps, got " + noise.size());
        }
        int n = ws.size(0);
        Tensor x = param("input").expand(n, channels[0], 4, 4);
        x = conv1.forward(x, ws.select(1, 0), noise == null ? null : noise.get(0));
        Tensor rgb = toRgb1.forward(x, ws.select(1, 1), null);
        for (int j = 0; j < toRgbs.size(); j++) {
            x = ((StyledConv) convs.get(2 * j)).forward(x, ws.select(1, 2 * j + 1), noise == null ? null : noise.get(2 * j + 1));
            x = ((StyledConv) convs.get(2 * j + 1)).forward(x, ws.select(1, 2 * j + 2), noise == null ? null : noise.get(2 * j + 2));
            rgb = ((ToRgb) toRgbs.get(j)).forward(x, ws.select(1, 2 * j + 3), rgb);
        }
        return rgb;
    }

    /** Fresh noise maps for a batch of {@code n}, from {@code gen} (e.g. fixed noise for comparable sample grids). */
    public List<Tensor> noise(int n, Generator gen) {
        List<Tensor> out = new ArrayList<>();
        Tensor input = param("input");
        for (int k = 0; k < numNoises(); k++) {
            int r = 4 << ((k + 1) / 2);
            out.add(Tensor.normal(gen, 0, 1, input.dtype(), input.device(), n, 1, r, r));
        }
        return out;
    }

    private void checkStyles(Tensor ws) {
        String layout = "(N, " + numWs() + ", " + wDim + ")";
        requireRank(ws, layout, 3);
        requireSize(ws, 1, numWs(), "styles", layout);
        requireSize(ws, 2, wDim, "features", layout);
    }

    /** StyleGAN's activation after a bias: leaky ReLU (slope 0.2) of {@code x + bias} times sqrt(2). */
    static Tensor biasLeakyRelu(Tensor x, Tensor bias) {
        Tensor y = bias == null ? x : x.add(bias.view(1, bias.size(0), 1, 1));
        return F.leakyRelu(y, 0.2).mul(Math.sqrt(2));
    }

    static Tensor upsample2(Tensor x) {
        return F.interpolate(x, new double[] {2, 2}, InterpolationMode.BILINEAR, false);
    }

    /** (upsample x2 -) modulated 3x3 convolution - noise - bias - leaky ReLU times sqrt(2). */
    private static final class StyledConv extends Module {
        private final ModulatedConv2d conv;
        private final NoiseInjection noise;
        private final boolean upsample;

        StyledConv(int in, int out, int wDim, boolean upsample) {
            conv = registerModule("conv", new ModulatedConv2d(in, out, 3, wDim, true));
            noise = registerModule("noise", new NoiseInjection(out));
            registerParameter("bias", Tensor.zeros(out));
            this.upsample = upsample;
        }

        @Override
        public Tensor forward(Tensor input) {
            throw error("needs the latent w as well: call forward(x, w, noise)");
        }

        Tensor forward(Tensor x, Tensor w, Tensor noiseMap) {
            Tensor y = conv.forward(upsample ? upsample2(x) : x, w);
            y = noiseMap == null ? noise.forward(y) : noise.forward(y, noiseMap);
            return biasLeakyRelu(y, param("bias"));
        }
    }

    /** 1x1 modulated convolution without demodulation, a bias, plus the upsampled image so far. */
    private static final class ToRgb extends Module {
        private final ModulatedConv2d conv;

        ToRgb(int in, int out, int wDim) {
            conv = registerModule("conv", new ModulatedConv2d(in, out, 1, wDim, false));
            registerParameter("bias", Tensor.zeros(out));
        }

        @Override
        public Tensor forward(Tensor input) {
            throw error("needs the latent w as well: call forward(x, w, skip)");
        }

        Tensor forward(Tensor x, Tensor w, Tensor skip) {
            Tensor bias = param("bias");
            Tensor y = conv.forward(x, w).add(bias.view(1, bias.size(0), 1, 1));
            return skip == null ? y : y.add(upsample2(skip));
        }
    }
}
