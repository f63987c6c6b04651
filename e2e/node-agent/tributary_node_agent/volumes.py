"""Pod volumes as host directories: emptyDir, configMap, secret, downwardAPI and projected
(filled per pod), persistentVolumeClaim (the bound PV's host directory, shared by every pod
that mounts the claim and kept across pod restarts) and hostPath (the path itself)."""

import base64
import os

from . import kube, podspec

SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def _decoded(secret):
    return {k: base64.b64decode(v) for k, v in (secret.get("data") or {}).items()}


def _configmap_files(cm):
    files = {k: v.encode() for k, v in (cm.get("data") or {}).items()}
    files.update({k: base64.b64decode(v) for k, v in (cm.get("binaryData") or {}).items()})
    return files


def _select(files, items, what):
    if not items:
        return files
    out = {}
    for item in items:
        if item["key"] not in files:
            raise podspec.ConfigError(f"{what}: key {item['key']} not found")
        out[item["path"]] = files[item["key"]]
    return out


class VolumeSource:
    """Reads the objects volumes are made of. Owned by one pod runner; the client is shared."""

    def __init__(self, client, namespace):
        self.client = client
        self.namespace = namespace

    def _get(self, resource, name):
        return self.client.get_or_none(kube.path("v1", resource, self.namespace, name))

    def configmap(self, name):
        return self._get("configmaps", name)

    def secret(self, name):
        return self._get("secrets", name)

    def claim_dir(self, claim_name):
        """The host directory of a Bound claim's PV; ConfigError while it is not bound."""
        pvc = self._get("persistentvolumeclaims", claim_name)
        if pvc is None:
            raise podspec.ConfigError(f"PersistentVolumeClaim {claim_name} not found")
        volume = pvc.get("spec", {}).get("volumeName")
        if pvc.get("status", {}).get("phase") != "Bound" or not volume:
            raise podspec.ConfigError(f"PersistentVolumeClaim {claim_name} is not bound")
        pv = self.client.get(kube.path("v1", "persistentvolumes", name=volume))
        spec = pv.get("spec", {})
        local = spec.get("hostPath") or spec.get("local")
        if not local:
            raise podspec.ConfigError(f"PersistentVolume {volume} has no host path")
        return local["path"]

    def configmap_data(self, name):
        cm = self.configmap(name)
        return None if cm is None else dict(cm.get("data") or {})

    def secret_data(self, name):
        s = self.secret(name)
        return None if s is None else {k: v.decode(errors="replace")
                                       for k, v in _decoded(s).items()}


def volume_dirs(pod, pod_dir, source):
    """Volume name -> host directory for every volume of the pod (directories not filled)."""
    dirs = {}
    for v in pod.get("spec", {}).get("volumes", []):
        name = v["name"]
        if "persistentVolumeClaim" in v:
            dirs[name] = source.claim_dir(v["persistentVolumeClaim"]["claimName"])
        elif "hostPath" in v:
            dirs[name] = v["hostPath"]["path"]
        elif any(k in v for k in ("emptyDir", "configMap", "secret", "downwardAPI", "projected")):
            dirs[name] = os.path.join(pod_dir, "volumes", name)
        else:
            raise podspec.ConfigError(f"volume {name}: unsupported type")
    return dirs


def _files_of(v, pod, source):
    """The files (relative path -> bytes, text flag) one volume holds."""
    if "configMap" in v:
        ref = v["configMap"]
        cm = source.configmap(ref["name"])
        if cm is None:
            if ref.get("optional"):
                return {}, True
            raise podspec.ConfigError(f"ConfigMap {ref['name']} not found")
        return _select(_configmap_files(cm), ref.get("items"), f"ConfigMap {ref['name']}"), True
    if "secret" in v:
        ref = v["secret"]
        s = source.secret(ref["secretName"])
        if s is None:
            if ref.get("optional"):
                return {}, False
            raise podspec.ConfigError(f"Secret {ref['secretName']} not found")
        return _select(_decoded(s), ref.get("items"), f"Secret {ref['secretName']}"), False
    if "downwardAPI" in v:
        return {i["path"]: podspec.field_value(pod, i["fieldRef"]["fieldPath"]).encode()
                for i in v["downwardAPI"].get("items", []) if "fieldRef" in i}, False
    if "projected" in v:
        files = {}
        for s in v["projected"].get("sources", []):
            if "serviceAccountToken" in s:
                raise podspec.ConfigError("projected serviceAccountToken is not supported")
            part, _ = _files_of(s, pod, source)
            files.update(part)
        return files, False
    return {}, False


def fill(pod, dirs, source, paths):
    """Creates every directory and writes the files of configMap, secret, downwardAPI and
    projected volumes. ConfigMap text has mount paths rewritten by `paths` (a PathMap)."""
    for v in pod.get("spec", {}).get("volumes", []):
        target = dirs[v["name"]]
        os.makedirs(target, exist_ok=True)
        files, is_text = _files_of(v, pod, source)
        for rel, content in files.items():
            if is_text:
                try:
                    content = paths.rewrite(content.decode()).encode()
                except UnicodeDecodeError:
                    pass
            dest = os.path.join(target, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest + ".tmp", "wb") as f:
                f.write(content)
            os.replace(dest + ".tmp", dest)
