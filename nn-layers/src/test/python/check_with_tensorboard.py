"""Loads a log directory with TensorBoard's own readers and prints what they found, to check files written by Kasane.

    /tmp/tbvenv/bin/python nn-layers/src/test/python/check_with_tensorboard.py LOGDIR

(a venv with the tensorboard package: python3 -m venv /tmp/tbvenv && /tmp/tbvenv/bin/pip install tensorboard).
Each run (a directory holding event files) is read by event_accumulator.EventAccumulator (scalars, histograms,
images) and by plugin_event_accumulator.EventAccumulator, the reader of TensorBoard's server, which migrates old-style
summaries to tensors as the dashboards see them (text, hparams). Exits with status 1 if a run yields nothing.
"""
import sys

from tensorboard.backend.event_processing import event_accumulator, plugin_event_accumulator
from tensorboard.backend.event_processing.event_multiplexer import EventMultiplexer
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.util import tensor_util


def main(logdir):
    mux = EventMultiplexer(size_guidance={k: 0 for k in event_accumulator.DEFAULT_SIZE_GUIDANCE}).AddRunsFromDirectory(logdir)
    mux.Reload()
    runs = mux.Runs()
    if not runs:
        print("no runs in", logdir)
        return 1
    for run in sorted(runs):
        acc = mux.GetAccumulator(run)
        tags = acc.Tags()
        print("run %r: %s" % (run, {k: v for k, v in tags.items() if v}))
        for tag in tags["scalars"]:
            s = acc.Scalars(tag)
            print("  scalar %s: %d points, first (step %d, %g), last (step %d, %g)"
                  % (tag, len(s), s[0].step, s[0].value, s[-1].step, s[-1].value))
        for tag in tags["histograms"]:
            h = acc.Histograms(tag)[-1]
            v = h.histogram_value
            print("  histogram %s: %d steps, last step %d: num %g, min %g, max %g, %d buckets summing to %g"
                  % (tag, len(acc.Histograms(tag)), h.step, v.num, v.min, v.max, len(v.bucket), sum(v.bucket)))
        for tag in tags["images"]:
            im = acc.Images(tag)[-1]
            print("  image %s: %d steps, last step %d: %dx%d, %d PNG bytes"
                  % (tag, len(acc.Images(tag)), im.step, im.width, im.height, len(im.encoded_image_string)))
        plugin = plugin_event_accumulator.EventAccumulator(acc.path, size_guidance={"tensors": 0})
        plugin.Reload()
        found = {n: plugin.PluginTagToContent(n) if n in plugin.ActivePlugins() else {} for n in ("text", "hparams")}
        for name in ("text", "hparams"):
            for tag, content in sorted(found[name].items()):
                t = plugin.Tensors(tag)[-1]
                if name == "text":
                    print("  text %s (step %d): %r" % (tag, t.step, tensor_util.make_ndarray(t.tensor_proto).tolist()))
                else:
                    data = plugin_data_pb2.HParamsPluginData.FromString(content)
                    print("  hparams %s: %s" % (tag, str(data).replace("\n", " ")[:300]))
        if not any(tags[k] for k in ("scalars", "histograms", "images")) and not any(found.values()):
            print("run %r: TensorBoard found nothing" % run)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
