/**
 * The model zoo: {@link dev.kasane.vision.models.LeNet5}, {@link dev.kasane.vision.models.ResNet} (18, 34, 50),
 * {@link dev.kasane.vision.models.UNet} and {@link dev.kasane.vision.models.DCGAN}. Each mirrors the PyTorch
 * definitions of the project's {@code reference_models.py} layer for layer and state-dict key for key, so weights
 * saved from those (safetensors) load by name with {@code loadStateDict}. And torchvision 0.14's classifiers, key for
 * key: {@link dev.kasane.vision.models.AlexNet}, {@link dev.kasane.vision.models.VGG},
 * {@link dev.kasane.vision.models.GoogLeNet}, {@link dev.kasane.vision.models.MobileNetV2} and
 * {@link dev.kasane.vision.models.EfficientNet}. Every classifier is an
 * {@link dev.kasane.vision.models.ImageClassifier}: {@code replaceHead(n)}, {@code freezeBackbone(true)},
 * {@code backboneParameters()} and {@code headParameters()} for transfer learning.
 *
 * <p>Super-resolution: {@link dev.kasane.vision.models.SRCNN}, {@link dev.kasane.vision.models.ESPCN} and
 * {@link dev.kasane.vision.models.EDSR}, whose PyTorch definitions are in the zoo's test sources
 * ({@code gen_superres_fixtures.py}).
 *
 * <p>Image-to-image translation: {@link dev.kasane.vision.models.CycleGAN}'s ResNet generator and PatchGAN
 * discriminator (key for key as pytorch-CycleGAN-and-pix2pix) and its {@link dev.kasane.vision.models.ImagePool}.
 * Style-based generation: {@link dev.kasane.vision.models.StyleGenerator} and
 * {@link dev.kasane.vision.models.StyleDiscriminator}, small StyleGAN2-style networks whose PyTorch definitions are
 * in the zoo's test sources ({@code gen_stylegan_fixtures.py}).
 */
package dev.kasane.vision.models;
