package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.AttentionResult;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.nn.functional.Padding;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.nn.functional.StochasticDepthMode;
import dev.kasane.tensor.PadMode;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward outputs, input gradients, parameter gradients and updated buffers of every layer and loss against
 * PyTorch (fixtures from src/test/python/gen_nn_fixtures.py, float32). Tolerance: {@code |a - e| <= 2e-5 (1 + |e|)}.
 */
class NnParityTest {
    static final double TOL = 2e-5;

    private static int[] p(int... v) {
        return v;
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                layer("linear", () -> new Linear(5, 3)),
                layer("linear_nobias_3d", () -> new Linear(5, 3, false)),
                layer("conv2d_basic", () -> new Conv2d(3, 4, 3)),
                layer("conv2d_stride_pad", () -> new Conv2d(3, 4, 3, 2, 1)),
                layer("conv2d_dilation_rect", () -> new Conv2d(2, 4, p(3, 2), p(1, 2), Padding.of(2, 1), p(2, 1), 1, true,
                        PadMode.CONSTANT)),
                layer("conv2d_groups", () -> new Conv2d(4, 6, p(3, 3), p(1, 1), Padding.of(1), p(1, 1), 2, true, PadMode.CONSTANT)),
                layer("conv2d_depthwise", () -> new Conv2d(3, 3, p(3, 3), p(1, 1), Padding.VALID, p(1, 1), 3, false,
                        PadMode.CONSTANT)),
                layer("conv2d_same_even", () -> new Conv2d(2, 3, p(4, 4), p(1, 1), Padding.SAME, p(1, 1), 1, true, PadMode.CONSTANT)),
                layer("conv2d_same_dilated", () -> new Conv2d(2, 3, p(3, 3), p(1, 1), Padding.SAME, p(2, 2), 1, true,
                        PadMode.CONSTANT)),
                layer("conv2d_valid", () -> new Conv2d(2, 3, p(3, 3), p(1, 1), Padding.parse("valid"), p(1, 1), 1, true,
                        PadMode.CONSTANT)),
                layer("conv2d_reflect", () -> new Conv2d(2, 3, p(3, 3), p(1, 1), Padding.of(1), p(1, 1), 1, true, PadMode.REFLECT)),
                layer("conv1d_stride_pad", () -> new Conv1d(3, 4, 3, 2, Padding.of(1), 1, 1, true, PadMode.CONSTANT)),
                layer("conv1d_same_reflect_groups", () -> new Conv1d(4, 4, 3, 1, Padding.SAME, 1, 2, true, PadMode.REFLECT)),
                layer("convt_basic", () -> new ConvTranspose2d(3, 2, p(3, 3), p(2, 2), p(1, 1), p(1, 1), 1, true, p(1, 1))),
                layer("convt_groups_dilation", () -> new ConvTranspose2d(4, 6, p(3, 3), p(2, 2), p(1, 1), p(0, 0), 2, false,
                        p(2, 2))),
                layer("convt_dcgan", () -> new ConvTranspose2d(4, 2, 4, 2, 1)),
                layer("bn2d_train", () -> new BatchNorm2d(3)),
                evalLayer("bn2d_eval", () -> new BatchNorm2d(3)),
                layer("bn2d_cma_noaffine", () -> new BatchNorm2d(3, 1e-5, Double.NaN, false, true)),
                layer("bn1d_train", () -> new BatchNorm1d(5)),
                layer("bn1d_train_3d", () -> new BatchNorm1d(4)),
                evalLayer("bn1d_eval", () -> new BatchNorm1d(5)),
                layer("layernorm", () -> new LayerNorm(4, 5)),
                layer("groupnorm", () -> new GroupNorm(2, 6)),
                layer("instancenorm_affine", () -> new InstanceNorm2d(3, 1e-5, true)),
                layer("maxpool2", () -> new MaxPool2d(2)),
                layer("maxpool3_s2_p1", () -> new MaxPool2d(3, 2, 1)),
                layer("maxpool_dilation_ceil", () -> new MaxPool2d(p(3, 3), p(2, 2), p(1, 1), p(2, 2), true)),
                layer("avgpool2", () -> new AvgPool2d(2)),
                layer("avgpool3_s2_p1", () -> new AvgPool2d(p(3, 3), p(2, 2), p(1, 1), false, true)),
                layer("avgpool3_s2_p1_excl", () -> new AvgPool2d(p(3, 3), p(2, 2), p(1, 1), false, false)),
                layer("avgpool_ceil", () -> new AvgPool2d(p(3, 3), p(2, 2), p(1, 1), true, true)),
                layer("avgpool_ceil_excl", () -> new AvgPool2d(p(3, 3), p(2, 2), p(1, 1), true, false)),
                layer("adaptive_avg_1", () -> new AdaptiveAvgPool2d(1)),
                layer("adaptive_avg_3x2", () -> new AdaptiveAvgPool2d(3, 2)),
                layer("adaptive_max_3x2", () -> new AdaptiveMaxPool2d(3, 2)),
                layer("upsample_nearest_x2", () -> Upsample.scale(2, InterpolationMode.NEAREST, false)),
                layer("upsample_nearest_size", () -> Upsample.size(5, 7, InterpolationMode.NEAREST, false)),
                layer("upsample_bilinear_x2", () -> Upsample.scale(2, InterpolationMode.BILINEAR, false)),
                layer("upsample_bilinear_align", () -> Upsample.size(5, 7, InterpolationMode.BILINEAR, true)),
                layer("upsample_bilinear_down", () -> Upsample.size(3, 2, InterpolationMode.BILINEAR, false)),
                layer("pixel_shuffle", () -> new PixelShuffle(2)),
                layer("pixel_unshuffle", () -> new PixelUnshuffle(2)),
                layer("act_relu", ReLU::new),
                layer("act_relu6", ReLU6::new),
                layer("act_leaky_relu", () -> new LeakyReLU(0.2)),
                layer("act_elu", () -> new ELU(0.7)),
                layer("act_selu", SELU::new),
                layer("act_gelu", GELU::new),
                layer("act_gelu_tanh", () -> new GELU(true)),
                layer("act_silu", SiLU::new),
                layer("act_mish", Mish::new),
                layer("act_tanh", Tanh::new),
                layer("act_sigmoid", Sigmoid::new),
                layer("act_hardtanh", () -> new Hardtanh(-0.5, 0.8)),
                layer("act_softplus", () -> new Softplus(2, 3)),
                layer("act_softmax", () -> new Softmax(1)),
                layer("act_log_softmax", () -> new LogSoftmax(1)),
                layer("embedding_padding", () -> new Embedding(10, 4, 2)),
                layer("mha_self", () -> new MultiheadAttention(8, 2)),
                layer("resnet_basic_block", () -> new BasicBlock(3, 4, 2)),
                layer("squeeze_excitation_silu", () -> new SqueezeExcitation(6, 2, new SiLU(), new Sigmoid())),
                layer("squeeze_excitation_3d", () -> new SqueezeExcitation(4, 3)),
                evalLayer("stochastic_depth_eval", () -> new StochasticDepth(0.5, StochasticDepthMode.ROW)),
                layer("stochastic_depth_p1", () -> new StochasticDepth(1.0, StochasticDepthMode.ROW)),
                layer("conv_norm_act_depthwise", () -> new Conv2dNormActivation(4, 4, 3, 2, 4, new ReLU6())),
                layer("conv_norm_noact", () -> new Conv2dNormActivation(3, 5, 1, 1, 1, null)));
    }

    /** The reference zoo's ResNet BasicBlock, written as a model-zoo author would. */
    static final class BasicBlock extends Module {
        private final Conv2d conv1;
        private final BatchNorm2d bn1;
        private final Conv2d conv2;
        private final BatchNorm2d bn2;
        private final Sequential downsample;

        BasicBlock(int cin, int cout, int stride) {
            conv1 = registerModule("conv1", new Conv2d(cin, cout, 3, stride, 1, false));
            bn1 = registerModule("bn1", new BatchNorm2d(cout));
            conv2 = registerModule("conv2", new Conv2d(cout, cout, 3, 1, 1, false));
            bn2 = registerModule("bn2", new BatchNorm2d(cout));
            downsample = stride != 1 || cin != cout
                    ? registerModule("downsample", new Sequential(new Conv2d(cin, cout, 1, stride, 0, false), new BatchNorm2d(cout)))
                    : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = bn2.forward(conv2.forward(bn1.forward(conv1.forward(x)).relu()));
            return y.add(downsample == null ? x : downsample.forward(x)).relu();
        }
    }

    private static Arguments layer(String name, Supplier<Module> m) {
        return Arguments.of(name, m, true);
    }

    private static Arguments evalLayer(String name, Supplier<Module> m) {
        return Arguments.of(name, m, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layerMatchesPyTorch(String name, Supplier<Module> factory, boolean train) {
        Map<String, Tensor> fx = Fixtures.load(name);
        Module m = factory.get();
        m.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        m.train(train);
        boolean needsGrad = fx.containsKey("grad_input");
        Tensor x = fx.get("input").clone().requiresGrad(needsGrad);
        Tensor y = m.forward(x);
        assertClose(name + " output", fx.get("output"), y, TOL);
        y.backward(fx.get("grad_output"));
        if (needsGrad) {
            assertClose(name + " grad_input", fx.get("grad_input"), x.grad(), TOL);
        }
        Map<String, Tensor> params = m.namedParameters();
        Fixtures.withPrefix(fx, "grad.").forEach((k, g) -> assertClose(name + " grad of " + k, g, params.get(k).grad(), TOL));
        Map<String, Tensor> state = m.stateDict();
        Fixtures.withPrefix(fx, "after.").forEach((k, v) -> assertClose(name + " state " + k + " after forward", v, state.get(k), TOL));
    }

    @Test
    void multiheadAttentionWithMasksMatchesPyTorch() {
        Map<String, Tensor> fx = Fixtures.load("mha_masked");
        MultiheadAttention m = new MultiheadAttention(8, 2);
        m.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        Tensor q = fx.get("query").clone().requiresGrad(true);
        Tensor k = fx.get("key").clone().requiresGrad(true);
        Tensor v = fx.get("value").clone().requiresGrad(true);
        AttentionResult r = m.forward(q, k, v, fx.get("key_padding_mask"), fx.get("attn_mask"), true, true);
        assertClose("output", fx.get("output"), r.output(), TOL);
        assertClose("weights", fx.get("weights"), r.weights(), TOL);
        r.output().backward(fx.get("grad_output"));
        assertClose("grad query", fx.get("grad_query"), q.grad(), TOL);
        assertClose("grad key", fx.get("grad_key"), k.grad(), TOL);
        assertClose("grad value", fx.get("grad_value"), v.grad(), TOL);
        Map<String, Tensor> params = m.namedParameters();
        Fixtures.withPrefix(fx, "grad.").forEach((key, g) -> assertClose("grad of " + key, g, params.get(key).grad(), TOL));
    }

    static Stream<Arguments> losses() {
        Tensor w = Tensor.of(new float[] {0.5f, 2.0f, 1.0f, 1.5f}, 4);
        return Stream.of(
                Arguments.of("mse_mean", new MSELoss()),
                Arguments.of("mse_sum", new MSELoss(Reduction.SUM)),
                Arguments.of("l1_none", new L1Loss(Reduction.NONE)),
                Arguments.of("smooth_l1_beta05", new SmoothL1Loss(Reduction.MEAN, 0.5)),
                Arguments.of("huber_delta07", new HuberLoss(Reduction.MEAN, 0.7)),
                Arguments.of("ce_basic", new CrossEntropyLoss()),
                Arguments.of("ce_sum", new CrossEntropyLoss(null, -100, Reduction.SUM, 0)),
                Arguments.of("ce_weight_ignore", new CrossEntropyLoss(w, 1, Reduction.MEAN, 0)),
                Arguments.of("ce_smoothing_weight", new CrossEntropyLoss(w, -100, Reduction.MEAN, 0.2)),
                Arguments.of("ce_smoothing_ignore_none", new CrossEntropyLoss(null, 3, Reduction.NONE, 0.1)),
                Arguments.of("ce_probs_smoothing", new CrossEntropyLoss(null, -100, Reduction.MEAN, 0.1)),
                Arguments.of("ce_spatial", new CrossEntropyLoss(null, -100, Reduction.NONE, 0)),
                Arguments.of("nll_weight", new NLLLoss(w, -100, Reduction.MEAN)),
                Arguments.of("bce_weight", new BCELoss(Tensor.of(new float[] {1, 2, 0.5f, 1}, 4), Reduction.MEAN)),
                Arguments.of("bce_logits_pos_weight", new BCEWithLogitsLoss(null, Tensor.of(new float[] {1, 3, 0.5f, 2}, 4),
                        Reduction.MEAN)),
                Arguments.of("bce_logits_extreme", new BCEWithLogitsLoss(null, null, Reduction.SUM)),
                Arguments.of("kldiv_batchmean", new KLDivLoss(Reduction.BATCHMEAN, false)),
                Arguments.of("kldiv_log_target_sum", new KLDivLoss(Reduction.SUM, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossMatchesPyTorch(String name, Loss loss) {
        Map<String, Tensor> fx = Fixtures.load(name);
        Tensor x = fx.get("input").clone().requiresGrad(true);
        Tensor y = loss.forward(x, fx.get("target"));
        assertClose(name + " output", fx.get("output"), y, TOL);
        if (fx.containsKey("grad_output")) {
            y.backward(fx.get("grad_output"));
        } else {
            y.backward();
        }
        assertClose(name + " grad_input", fx.get("grad_input"), x.grad(), TOL);
    }

    @Test
    void sequentialKeysMatchTheReferenceDcganGenerator() {
        Sequential g = new Sequential(
                new Linear(100, 128 * 7 * 7), new BatchNorm1d(128 * 7 * 7), new ReLU(),
                new Unflatten(1, 128, 7, 7),
                new ConvTranspose2d(128, 64, 4, 2, 1), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 4, 2, 1), new Tanh());
        String expected = new String(readResource("nn/dcgan28_generator_keys.txt")).trim();
        StringBuilder actual = new StringBuilder();
        g.stateDict().forEach((k, v) -> {
            actual.append(k);
            for (int s : v.shape()) {
                actual.append(' ').append(s);
            }
            actual.append('\n');
        });
        assertEquals(expected, actual.toString().trim());
        Tensor out = g.forward(Tensor.randn(2, 100));
        assertEquals("[2, 1, 28, 28]", java.util.Arrays.toString(out.shape()));
    }

    private static byte[] readResource(String path) {
        try (var in = NnParityTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
