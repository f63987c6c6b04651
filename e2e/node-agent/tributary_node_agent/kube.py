"""A small synchronous Kubernetes API client (HTTPS, bearer token or client certificate).

Objects are plain dicts exactly as the API serves them. One Client is shared by all threads;
each request opens its own connection, so no state is shared between threads.
"""

import base64
import http.client
import json
import os
import ssl
import tempfile
import urllib.parse


class ApiError(Exception):
    """A non-2xx answer (status, reason) or a transport failure (status 0)."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status


def _kubeconfig_fields(text):
    """The fields the agent needs from a single-context kubeconfig (JSON or plain block YAML)."""
    if text.lstrip().startswith("{"):
        doc = json.loads(text)
        cluster = doc["clusters"][0]["cluster"]
        user = doc["users"][0]["user"]
        return {**cluster, **user}
    fields = {}
    for line in text.splitlines():
        line = line.strip().lstrip("- ")
        key, sep, value = line.partition(":")
        if sep and value.strip() and key not in fields:
            fields[key.strip()] = value.strip().strip('"').strip("'")
    return fields


class Config:
    """Where the API server is and how to authenticate (from a kubeconfig file)."""

    def __init__(self, server, ca_file=None, token=None, cert_file=None, key_file=None,
                 insecure=False):
        self.server = server
        self.ca_file = ca_file
        self.token = token
        self.cert_file = cert_file
        self.key_file = key_file
        self.insecure = insecure

    @staticmethod
    def load(path):
        with open(path, encoding="utf-8") as f:
            fields = _kubeconfig_fields(f.read())
        base = os.path.dirname(os.path.abspath(path))

        def file_or_data(name):
            if fields.get(name + "-data"):
                fd, tmp = tempfile.mkstemp(prefix="node-agent-", suffix=".pem")
                with os.fdopen(fd, "wb") as out:
                    out.write(base64.b64decode(fields[name + "-data"]))
                return tmp
            value = fields.get(name)
            return os.path.join(base, value) if value else None

        return Config(server=fields["server"], ca_file=file_or_data("certificate-authority"),
                      token=fields.get("token"), cert_file=file_or_data("client-certificate"),
                      key_file=file_or_data("client-key"),
                      insecure=fields.get("insecure-skip-tls-verify") == "true")

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=self.ca_file)
        if self.insecure:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        if self.cert_file:
            ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx


def path(group_version, resource, namespace=None, name=None, subresource=None):
    """The URL path of a resource: core ("v1") or a group ("apps/v1")."""
    prefix = "/api/v1" if group_version == "v1" else "/apis/" + group_version
    parts = [prefix]
    if namespace:
        parts.append("namespaces/" + namespace)
    parts.append(resource)
    if name:
        parts.append(name)
    if subresource:
        parts.append(subresource)
    return "/".join(parts)


class Client:
    """Thread-safe: every call opens its own HTTPS connection."""

    def __init__(self, config, timeout=30):
        self.config = config
        self.timeout = timeout
        url = urllib.parse.urlparse(config.server)
        self.host = url.hostname
        self.port = url.port or 443
        self.ssl = config.ssl_context()

    def request(self, method, url_path, body=None, query=None,
                content_type="application/json"):
        if query:
            url_path += "?" + urllib.parse.urlencode(query)
        headers = {"Accept": "application/json"}
        if self.config.token:
            headers["Authorization"] = "Bearer " + self.config.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ssl,
                                           timeout=self.timeout)
        try:
            conn.request(method, url_path, body=data, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
        except (OSError, http.client.HTTPException) as e:
            raise ApiError(0, f"{method} {url_path}: {e}") from e
        finally:
            conn.close()
        if resp.status >= 300:
            raise ApiError(resp.status, f"{method} {url_path}: {payload[:300]!r}")
        return json.loads(payload) if payload else {}

    def get(self, url_path, query=None):
        return self.request("GET", url_path, query=query)

    def get_or_none(self, url_path):
        try:
            return self.get(url_path)
        except ApiError as e:
            if e.status == 404:
                return None
            raise

    def create(self, url_path, obj):
        return self.request("POST", url_path, body=obj)

    def merge_patch(self, url_path, patch):
        return self.request("PATCH", url_path, body=patch,
                            content_type="application/merge-patch+json")

    def delete(self, url_path, body=None):
        try:
            return self.request("DELETE", url_path, body=body)
        except ApiError as e:
            if e.status == 404:
                return None
            raise
