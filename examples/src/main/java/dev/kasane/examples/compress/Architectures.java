package dev.kasane.examples.compress;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Identity;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import java.util.List;
import java.util.Locale;

/**
 * The models of the compress example, built from {@code Sequential} containers so that quantization can swap their
 * layers: LeNet-5 (the zoo's {@code LeNet5} layer for layer), ResNet-18 with the CIFAR stem on 1x28x28 inputs, and
 * the small student CNN of the distillation.
 */
final class Architectures {
    /** The names accepted by {@code --model}. */
    static final List<String> NAMES = List.of("lenet", "resnet18");

    private Architectures() {
    }

    /** A model by {@code --model} name for {@code classes} classes. */
    static Sequential of(String name, int classes) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "lenet":
                return lenet(classes);
            case "resnet18":
                return resnet18(classes);
            default:
                throw new IllegalArgumentException("unknown model " + name + " (expected one of " + NAMES + ")");
        }
    }

    /** LeNet-5 for 1x28x28: conv 5x5 (6, padded) - pool - conv 5x5 (16) - pool - 120 - 84 - classes. */
    static Sequential lenet(int classes) {
        return new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(),
                new Linear(84, classes));
    }

    /** ResNet-18 with the CIFAR stem (3x3 conv, no max-pool) on one input channel. */
    static Sequential resnet18(int classes) {
        Sequential model = new Sequential(new Conv2d(1, 64, 3, 1, 1, false), new BatchNorm2d(64), new ReLU());
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            int out = 64 << stage;
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                model.add(new BasicBlock(in, out, stride));
                in = out;
            }
        }
        return model.add(new AdaptiveAvgPool2d(1)).add(new Flatten()).add(new Linear(512, classes));
    }

    /** The distillation's student: conv 3x3 (8) - pool - conv 3x3 (16) - pool - classes. */
    static Sequential student(int classes) {
        return new Sequential(new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 3, 1, 1), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(16 * 7 * 7, classes));
    }

    /** ResNet's basic block, {@code relu(body(x) + shortcut(x))}, with both branches in containers. */
    static final class BasicBlock extends Module {
        private final Sequential body;
        private final Sequential shortcut;

        BasicBlock(int in, int out, int stride) {
            body = registerModule("body", new Sequential(new Conv2d(in, out, 3, stride, 1, false), new BatchNorm2d(out),
                    new ReLU(), new Conv2d(out, out, 3, 1, 1, false), new BatchNorm2d(out)));
            shortcut = registerModule("shortcut", stride == 1 && in == out ? new Sequential(new Identity())
                    : new Sequential(new Conv2d(in, out, 1, stride, 0, false), new BatchNorm2d(out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return F.relu(body.forward(x).add(shortcut.forward(x)));
        }
    }
}
