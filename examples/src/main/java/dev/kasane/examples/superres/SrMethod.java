package dev.kasane.examples.superres;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Device;
import java.util.Locale;

/**
 * The networks the example trains, each on the luma channel (one channel in and out), with residual learning (as
 * VDSR): the network sees its input minus {@link #INPUT_OFFSET} and predicts the difference between the original and
 * the bicubic upscaling, which is added back. The architectures are the papers'; starting from bicubic instead of from
 * zero only makes the short CPU training converge faster.
 */
enum SrMethod {
    /** SRCNN 9-1-5: restores the bicubic upscaling. */
    SRCNN(true),
    /** ESPCN: works on the low-resolution image, sub-pixel convolution at the end. */
    ESPCN(false),
    /** EDSR-style residual network of {@code --features} channels and {@code --blocks} blocks. */
    EDSR(false);

    /** Subtracted from the luma (in [16/255, 235/255]) at the network's input, to centre it. */
    static final float INPUT_OFFSET = 0.5f;

    private final boolean upscaledInput;

    SrMethod(boolean upscaledInput) {
        this.upscaledInput = upscaledInput;
    }

    /** Whether the network's input is the bicubic upscaling (else the low-resolution image). */
    boolean upscaledInput() {
        return upscaledInput;
    }

    /** The lower-case name used on the command line and in file names. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The network's luma reconstruction of {@code image}: bicubic plus the predicted residual, {@code [1, sh, sw]}.
     * With {@code selfEnsemble} the residual is the mean of the network's outputs for the 8 flips and transposes of the
     * input, each turned back (EDSR's geometric self-ensemble, "EDSR+"): 8 times the work, a little more accuracy.
     */
    Tensor reconstructLuma(Module model, ScaledImage image, boolean selfEnsemble) {
        Device device = model.parameters().get(0).device();
        Tensor input = (upscaledInput ? image.bicubicY() : image.lrY()).sub(INPUT_OFFSET).unsqueeze(0).to(device);
        Tensor residual = model.forward(input);
        if (selfEnsemble) {
            for (int turn = 1; turn < 8; turn++) {
                residual = residual.add(turnBack(model.forward(turn(input, turn)), turn));
            }
            residual = residual.div(8);
        }
        return image.bicubicY().add(residual.squeeze(0).to(Device.CPU));
    }

    /**
     * {@code x [N, C, H, W]} turned as {@link PatchSampler#copy} turns patches: bit 0 flips left-right, bit 1
     * top-bottom, then bit 2 transposes.
     */
    static Tensor turn(Tensor x, int turn) {
        Tensor t = (turn & 1) != 0 ? x.flip(3) : x;
        t = (turn & 2) != 0 ? t.flip(2) : t;
        return (turn & 4) != 0 ? t.transpose(2, 3) : t;
    }

    /** The inverse of {@link #turn}. */
    static Tensor turnBack(Tensor x, int turn) {
        Tensor t = (turn & 4) != 0 ? x.transpose(2, 3) : x;
        t = (turn & 2) != 0 ? t.flip(2) : t;
        return (turn & 1) != 0 ? t.flip(3) : t;
    }

    /** A freshly initialised network for {@code scale}. */
    Module create(int scale, int features, int blocks) {
        return switch (this) {
            case SRCNN -> new dev.kasane.vision.models.SRCNN(1);
            case ESPCN -> new dev.kasane.vision.models.ESPCN(scale, 1);
            case EDSR -> new dev.kasane.vision.models.EDSR(scale, 1, features, blocks, 1.0);
        };
    }

    /**
     * The method named {@code id} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the choices
     */
    static SrMethod parse(String id) {
        for (SrMethod m : values()) {
            if (m.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + id + "' (srcnn, espcn or edsr)");
    }
}
