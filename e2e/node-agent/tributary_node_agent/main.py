"""Command line of the node agent."""

import argparse
import logging
import signal
import sys

from . import kube
from .agent import Agent, parse_node


def _image(text):
    prefix, sep, binary = text.partition("=")
    if not sep or not prefix or not binary:
        raise argparse.ArgumentTypeError(f"--image wants PREFIX=BINARY, got {text!r}")
    return prefix, binary


def _node(text):
    try:
        return parse_node(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))


def parse_args(argv):
    p = argparse.ArgumentParser(prog="node-agent", description=(
        "Process-based stand-in for kubelet (test infrastructure): registers Nodes, schedules "
        "and runs their Pods as local processes on 127.x addresses."))
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--node", dest="nodes", type=_node, action="append", required=True,
                   help="NAME[:label=value,...] (repeatable)")
    p.add_argument("--image", dest="images", type=_image, action="append", default=[],
                   help="IMAGE_PREFIX=BINARY (repeatable): containers of matching images run "
                        "BINARY (or a sibling named like command[0])")
    p.add_argument("--root", required=True, help="directory for pods, volumes and logs")
    p.add_argument("--ip-prefix", default="127.200",
                   help="first two octets: nodes get PREFIX.0.N, pods PREFIX.X.Y (X >= 1)")
    p.add_argument("--sync-period", type=float, default=0.5)
    p.add_argument("--probe-period-max", type=int, default=None,
                   help="cap on probes' periodSeconds (shorter waits in tests)")
    p.add_argument("--max-backoff", type=float, default=10.0,
                   help="cap of the crash-restart backoff, seconds (kubelet: 300)")
    p.add_argument("--shutdown-grace", type=int, default=10,
                   help="grace cap when the agent itself stops or a pod vanishes")
    p.add_argument("--scheduler-name", dest="scheduler_names", action="append",
                   default=None, help="pods of this scheduler are bound (default-scheduler)")
    p.add_argument("--owner-pid", type=int, default=None,
                   help="stop (cleaning up) when this process has exited")
    p.add_argument("--no-pod-dns", dest="pod_dns", action="store_false",
                   help="do not give pods an /etc/hosts with the cluster's pod DNS names")
    p.add_argument("--log-level", default="info")
    opts = p.parse_args(argv)
    if not opts.scheduler_names:
        opts.scheduler_names = ["default-scheduler"]
    octets = opts.ip_prefix.split(".")
    if len(octets) != 2 or octets[0] != "127" or not all(o.isdigit() and int(o) < 256
                                                         for o in octets):
        p.error("--ip-prefix must be 127.N")
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=getattr(logging, opts.log_level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    client = kube.Client(kube.Config.load(opts.kubeconfig))
    agent = Agent(client, opts)
    signal.signal(signal.SIGTERM, lambda *_: agent.stop.set())
    signal.signal(signal.SIGINT, lambda *_: agent.stop.set())
    try:
        agent.run()
    except kube.ApiError as e:
        logging.getLogger("agent").error("cannot start: %s", e)
        return 1
    return 0
