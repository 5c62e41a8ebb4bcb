package dev.kasane.vision.models;

import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Init;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;

/** What several of torchvision's classifiers share: channel rounding and weight initialisation. */
final class Torchvision {
    private Torchvision() {
    }

    /**
     * torchvision's {@code _make_divisible(v, divisor)}: {@code v} rounded to the nearest multiple of {@code divisor}
     * (at least {@code divisor}), one multiple more if rounding lost more than 10%.
     */
    static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    /**
     * torchvision's initialisation of VGG, MobileNetV2 and EfficientNet: every convolution's weight Kaiming-normal
     * with fan-out (gain sqrt(2)), its bias zero. (Batch norms keep their ones and zeros.)
     */
    static void kaimingConvs(Module model) {
        for (Module m : model.modules()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU);
                if (c.bias() != null) {
                    Init.zeros(c.bias());
                }
            }
        }
    }

    /** Every Linear's weight N(0, std^2), its bias zero (VGG and MobileNetV2). */
    static void normalLinears(Module model, double std) {
        for (Module m : model.modules()) {
            if (m instanceof Linear l) {
                Init.normal(l.weight(), 0, std);
                Init.zeros(l.bias());
            }
        }
    }
}
