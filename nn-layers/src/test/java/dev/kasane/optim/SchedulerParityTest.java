package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each scheduler of gen_optim_fixtures.py: the learning rate (and OneCycleLR's momentum) of two parameter groups
 * after construction and after each of 30 steps equals PyTorch's (within 1e-12 relative: cos/pow may differ by an
 * ulp between libm and Java).
 */
class SchedulerParityTest {
    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<Fixtures.Block> cases = Fixtures.read("schedulers.txt");
        return cases.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> run(b)));
    }

    private static void run(Fixtures.Block b) {
        String cls = b.header()[2];
        String optCls = b.header()[3];
        double[] lrs = Fixtures.doubles(b.first("groups"), 1);
        Optimizer<?> opt = optCls.equals("SGD") ? new SGD(groups(lrs), SGD.options().lr(0.1).momentum(0.9))
                : new Adam(groups(lrs), Adam.options().lr(0.1));
        Map<String, String> a = Fixtures.options(b.first("arg"), 1);
        LRScheduler sched = null;
        ReduceLROnPlateau plateau = null;
        switch (cls) {
            case "StepLR":
                sched = new StepLR(opt, Integer.parseInt(a.get("step_size")), Double.parseDouble(a.get("gamma")));
                break;
            case "MultiStepLR":
                sched = new MultiStepLR(opt, Arrays.stream(a.get("milestones").split(",")).mapToInt(Integer::parseInt).toArray(),
                        Double.parseDouble(a.get("gamma")));
                break;
            case "ExponentialLR":
                sched = new ExponentialLR(opt, Double.parseDouble(a.get("gamma")));
                break;
            case "CosineAnnealingLR":
                sched = new CosineAnnealingLR(opt, Integer.parseInt(a.get("T_max")),
                        Double.parseDouble(a.getOrDefault("eta_min", "0")));
                break;
            case "LinearLR":
                sched = a.isEmpty() ? new LinearLR(opt) : new LinearLR(opt, Double.parseDouble(a.get("start_factor")),
                        Double.parseDouble(a.get("end_factor")), Integer.parseInt(a.get("total_iters")));
                break;
            case "OneCycleLR": {
                OneCycleLR.Builder ob = OneCycleLR.builder(opt, Double.parseDouble(a.get("max_lr")),
                        Integer.parseInt(a.get("total_steps")));
                if (a.containsKey("anneal_strategy")) {
                    ob.anneal(OneCycleLR.Anneal.valueOf(a.get("anneal_strategy").toUpperCase()));
                }
                if (a.containsKey("three_phase")) {
                    ob.threePhase(a.get("three_phase").equals("1"));
                }
                if (a.containsKey("pct_start")) {
                    ob.pctStart(Double.parseDouble(a.get("pct_start")));
                }
                if (a.containsKey("div_factor")) {
                    ob.divFactor(Double.parseDouble(a.get("div_factor")));
                }
                if (a.containsKey("final_div_factor")) {
                    ob.finalDivFactor(Double.parseDouble(a.get("final_div_factor")));
                }
                if (a.containsKey("base_momentum")) {
                    ob.baseMomentum(Double.parseDouble(a.get("base_momentum")));
                }
                if (a.containsKey("max_momentum")) {
                    ob.maxMomentum(Double.parseDouble(a.get("max_momentum")));
                }
                sched = ob.build();
                break;
            }
            case "ReduceLROnPlateau":
                plateau = new ReduceLROnPlateau(opt,
                        ReduceLROnPlateau.Mode.valueOf(a.getOrDefault("mode", "min").toUpperCase()),
                        Double.parseDouble(a.getOrDefault("factor", "0.1")), Integer.parseInt(a.getOrDefault("patience", "10")),
                        Double.parseDouble(a.getOrDefault("threshold", "1e-4")),
                        ReduceLROnPlateau.ThresholdMode.valueOf(a.getOrDefault("threshold_mode", "rel").toUpperCase()),
                        Integer.parseInt(a.getOrDefault("cooldown", "0")), Double.parseDouble(a.getOrDefault("min_lr", "0")),
                        1e-8);
                break;
            default:
                throw new IllegalArgumentException(cls);
        }
        double[] metrics = plateau != null ? Fixtures.doubles(b.first("metrics"), 1) : null;
        List<double[]> lrHist = new ArrayList<>();
        List<double[]> momHist = new ArrayList<>();
        record(opt, lrHist, momHist);
        for (int i = 0; i < 30; i++) {
            opt.step();
            if (plateau != null) {
                plateau.step(metrics[i]);
            } else {
                sched.step();
            }
            record(opt, lrHist, momHist);
        }
        for (String[] l : b.all("lr")) {
            int g = Integer.parseInt(l[1]);
            Fixtures.assertClose(Fixtures.doubles(l, 2), column(lrHist, g), 1e-12, 0, b.name() + " lr of group " + g);
        }
        for (String[] l : b.all("momentum")) {
            int g = Integer.parseInt(l[1]);
            Fixtures.assertClose(Fixtures.doubles(l, 2), column(momHist, g), 1e-12, 0, b.name() + " momentum of group " + g);
        }
        if (sched != null) {
            double[] last = column(lrHist, 0);
            if (sched.lastLr().get(0) != last[last.length - 1] || sched.lastEpoch() != 30) {
                throw new AssertionError(b.name() + ": lastLr " + sched.lastLr() + " epoch " + sched.lastEpoch());
            }
        }
    }

    /** Two groups, of two and one parameters, with learning rates {@code lrs}. */
    private static <O extends OptimizerOptions<O>> List<ParamGroup<O>> groups(double[] lrs) {
        return List.of(
                new ParamGroup<>(List.of(Tensor.zeros(2).requiresGrad(true)), o -> o.lr(lrs[0])),
                new ParamGroup<>(List.of(Tensor.zeros(1).requiresGrad(true)), o -> o.lr(lrs[1])));
    }

    /** Appends each group's learning rate and cycled momentum (SGD's momentum, Adam's beta1). */
    private static void record(Optimizer<?> opt, List<double[]> lr, List<double[]> mom) {
        List<? extends ParamGroup<?>> g = opt.paramGroups();
        lr.add(new double[] {g.get(0).lr(), g.get(1).lr()});
        mom.add(new double[] {momentum(g.get(0)), momentum(g.get(1))});
    }

    private static double momentum(ParamGroup<?> g) {
        return ((MomentumOptions<?>) g.options()).cycledMomentum();
    }

    private static double[] column(List<double[]> hist, int g) {
        return hist.stream().mapToDouble(h -> h[g]).toArray();
    }
}
