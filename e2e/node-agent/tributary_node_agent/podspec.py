"""Pure functions from a Pod spec to what a local process needs: environment, argv, paths.

Nothing here does I/O except through the lookups passed in; tests call these directly.
"""

import os
import re


class ConfigError(Exception):
    """The container cannot be configured yet (kubelet: CreateContainerConfigError)."""


def expand(text, env):
    """Kubernetes $(VAR) expansion: known names are replaced, unknown references are kept as
    written, `$$` is an escaped `$` (so `$$(VAR)` gives `$(VAR)`)."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "(":
            end = text.find(")", i + 2)
            if end < 0:
                out.append(text[i:])
                break
            name = text[i + 2:end]
            out.append(env[name] if name in env else text[i:end + 1])
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_LABEL_FIELD = re.compile(r"^metadata\.(labels|annotations)\['(.+)'\]$")


def field_value(pod, field_path):
    """The downward-API value of `field_path` for this pod; ConfigError when unsupported."""
    meta = pod.get("metadata", {})
    spec = pod.get("spec", {})
    status = pod.get("status", {})
    simple = {
        "metadata.name": meta.get("name", ""),
        "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.podIP": status.get("podIP", ""),
        "status.hostIP": status.get("hostIP", ""),
    }
    if field_path in simple:
        return simple[field_path]
    m = _LABEL_FIELD.match(field_path)
    if m:
        return meta.get(m.group(1), {}).get(m.group(2), "")
    raise ConfigError(f"unsupported fieldRef {field_path}")


def _key_ref(ref, lookup, kind):
    obj_name = ref.get("name", "")
    data = lookup(obj_name)
    if data is None or ref.get("key") not in data:
        if ref.get("optional"):
            return None
        raise ConfigError(f"{kind} {obj_name} key {ref.get('key')} not found")
    return data[ref["key"]]


def container_env(pod, container, configmap_data, secret_data):
    """The container's environment (a dict, in definition order): envFrom, then env with $(VAR)
    expanded against what came before. `configmap_data(name)` / `secret_data(name)` return a
    dict of decoded strings or None when the object does not exist."""
    env = {}
    for source in container.get("envFrom", []):
        prefix = source.get("prefix", "")
        for field, lookup, kind in (("configMapRef", configmap_data, "ConfigMap"),
                                    ("secretRef", secret_data, "Secret")):
            if field not in source:
                continue
            ref = source[field]
            data = lookup(ref.get("name", ""))
            if data is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"{kind} {ref.get('name')} not found")
            for k, v in data.items():
                env[prefix + k] = v
    for var in container.get("env", []):
        name = var["name"]
        if "valueFrom" not in var:
            env[name] = expand(var.get("value", ""), env)
            continue
        source = var["valueFrom"]
        if "fieldRef" in source:
            env[name] = field_value(pod, source["fieldRef"]["fieldPath"])
        elif "configMapKeyRef" in source:
            value = _key_ref(source["configMapKeyRef"], configmap_data, "ConfigMap")
            if value is not None:
                env[name] = value
        elif "secretKeyRef" in source:
            value = _key_ref(source["secretKeyRef"], secret_data, "Secret")
            if value is not None:
                env[name] = value
        else:
            raise ConfigError(f"env {name}: unsupported valueFrom {sorted(source)}")
    return env


class PathMap:
    """Container mount paths -> host directories. A path inside a mount is rewritten by
    replacing the mount path prefix; the longest mount path wins."""

    _PATH_CHAR = r"[\w.\-/]"

    def __init__(self, mounts):
        self.mounts = {}
        for mount_path, host_path in mounts:
            key = mount_path.rstrip("/") or "/"
            self.mounts.setdefault(key, host_path)
        ordered = sorted(self.mounts, key=len, reverse=True)
        if ordered:
            alternatives = "|".join(re.escape(p) for p in ordered)
            self._pattern = re.compile(
                rf"(?<!{self._PATH_CHAR})({alternatives})(?=/|$|[^\w.\-])")
        else:
            self._pattern = None

    def rewrite(self, text):
        """Every mount path that appears in `text` as a whole path (or a path prefix) is
        replaced by its host directory."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.mounts[m.group(1)], text)


_WILDCARD = re.compile(r"(?<![\w.:\[])(0\.0\.0\.0|\[::\])(?![\w./\]])")


def bind_pod_address(text, pod_ip):
    """A wildcard listen address (`0.0.0.0`, `[::]`, alone or as `HOST:PORT`) means "every
    interface of the pod", which here is the pod's own address; CIDRs like 0.0.0.0/0 stay."""
    return _WILDCARD.sub(pod_ip, text)


def volume_mounts(container, volume_dirs):
    """(mountPath, host path) pairs for a container; `volume_dirs` maps volume name -> host dir."""
    pairs = []
    for m in container.get("volumeMounts", []):
        if m["name"] not in volume_dirs:
            raise ConfigError(f"volume {m['name']} is not prepared")
        host = volume_dirs[m["name"]]
        if m.get("subPath"):
            host = os.path.join(host, m["subPath"])
        pairs.append((m["mountPath"], host))
    return pairs


def pod_mounts(pod, volume_dirs):
    """Mount pairs of every container of the pod (init containers first), for rewriting files
    that one container writes and another reads; the first mapping of a path wins."""
    spec = pod.get("spec", {})
    pairs = []
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        pairs.extend(volume_mounts(c, volume_dirs))
    return pairs


def image_binary(image, images):
    """The local binary for an image: the longest prefix in `images` (prefix -> path) that the
    image name starts with; None when no prefix matches."""
    best = None
    for prefix, binary in images.items():
        if image.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return images[best] if best is not None else None


def resolve_executable(name, binary, exists=os.path.exists):
    """command[0] of a container whose image runs `binary`: the image's binary when the names
    match, a sibling of it with that name, an absolute path that exists, else None."""
    base = os.path.basename(name)
    if binary and base == os.path.basename(binary):
        return binary
    if binary:
        sibling = os.path.join(os.path.dirname(binary), base)
        if exists(sibling):
            return sibling
    if os.path.isabs(name) and exists(name):
        return name
    return None


def container_argv(container, binary, env, paths, exists=os.path.exists, pod_ip=None):
    """The argv that runs the container: command (or the image's binary) + args, with $(VAR)
    expanded, mount paths rewritten and (given `pod_ip`) wildcard listen addresses bound to the
    pod's address in every argument after argv[0]."""
    command = list(container.get("command", []))
    args = list(container.get("args", []))
    if command:
        exe = resolve_executable(expand(command[0], env), binary, exists)
        if exe is None:
            raise ConfigError(f"executable {command[0]!r} not found for image "
                              f"{container.get('image')!r}")
        rest = command[1:] + args
    else:
        if binary is None:
            raise ConfigError(f"no local binary for image {container.get('image')!r}")
        exe, rest = binary, args
    rest = [paths.rewrite(expand(a, env)) for a in rest]
    if pod_ip:
        rest = [bind_pod_address(a, pod_ip) for a in rest]
    return [exe] + rest


def resolve_port(port, container, pod=None):
    """A probe/hook port: a number, or the name of a containerPort (this container first)."""
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    containers = [container]
    if pod is not None:
        containers += pod.get("spec", {}).get("containers", [])
    for c in containers:
        for p in c.get("ports", []):
            if p.get("name") == port:
                return int(p["containerPort"])
    raise ConfigError(f"unknown port {port!r}")
