#!/usr/bin/env python3
"""Turns Kafka message definitions (common/protocol/messages/*.def) into C++ codecs.

Usage:
  generate.py --out DIR message FILE.def      per-API header, codec source and test-data source
  generate.py --out DIR aggregate FILE.def... api_table.cc, all.h and test_data.h
  generate.py check FILE.def...               parse only (exit 1 with a message on any error)

The definition format is described in README.md beside this script. Files are rewritten only
when their content changes, so an unchanged definition does not trigger recompiles.
Standard library only.
"""

import argparse
import os
import re
import sys

INT_TYPES = {
    "int8": "int8_t",
    "int16": "int16_t",
    "int32": "int32_t",
    "int64": "int64_t",
    "uint16": "uint16_t",
    "uint32": "uint32_t",
}
PRIMITIVES = dict(INT_TYPES, float64="double", bool="bool", string="std::string", bytes="Bytes",
                  records="Bytes", uuid="Uuid")
RESERVED_NAMES = {"Reader", "Writer", "Bytes", "Uuid", "Result", "ApiKey", "TaggedFields"}
CPP_KEYWORDS = {"default", "operator", "delete", "new", "class", "register", "template", "this",
                "int", "bool", "char", "short", "long", "float", "double", "public", "private",
                "protected", "virtual", "struct", "union", "switch", "case", "return", "const"}


class DefError(Exception):
    pass


class Range:
    """An inclusive version range; hi None means open-ended; empty means "none"."""

    def __init__(self, lo, hi, empty=False):
        self.lo, self.hi, self.empty = lo, hi, empty

    @staticmethod
    def parse(text, where):
        if text == "none":
            return Range(0, None, empty=True)
        m = re.fullmatch(r"(\d+)(\+|-(\d+))?", text)
        if not m:
            raise DefError(f"{where}: bad version range '{text}'")
        lo = int(m.group(1))
        if m.group(2) == "+":
            return Range(lo, None)
        hi = int(m.group(3)) if m.group(3) else lo
        if hi < lo:
            raise DefError(f"{where}: empty version range '{text}'")
        return Range(lo, hi)

    def contains(self, v):
        return not self.empty and v >= self.lo and (self.hi is None or v <= self.hi)

    def text(self):
        if self.empty:
            return "none"
        if self.hi is None:
            return f"{self.lo}+"
        return f"{self.lo}" if self.lo == self.hi else f"{self.lo}-{self.hi}"

    def cond(self, outer_lo=0, outer_hi=None):
        """A C++ condition on `version`, dropping bounds the message's range already implies."""
        if self.empty:
            return "false"
        parts = []
        if self.lo > outer_lo:
            parts.append(f"version >= {self.lo}")
        if self.hi is not None and (outer_hi is None or self.hi < outer_hi):
            parts.append(f"version <= {self.hi}")
        return " && ".join(parts) if parts else "true"


class Field:
    def __init__(self, name, type_text, versions, line):
        self.name, self.type_text, self.versions, self.line = name, type_text, versions, line
        self.nullable = None
        self.tag = None
        self.tagged = None
        self.default = None
        self.children = []
        self.is_array = type_text.startswith("[]")
        self.base = type_text[2:] if self.is_array else type_text
        self.is_struct = self.base not in PRIMITIVES

    @property
    def member(self):
        return snake(self.name)


class Message:
    def __init__(self, api, kind, fields):
        self.api, self.kind, self.fields = api, kind, fields

    @property
    def name(self):
        return self.api.name + ("Request" if self.kind == "request" else "Response")


class Api:
    def __init__(self, name, key, versions, flexible, path):
        self.name, self.key, self.versions, self.flexible, self.path = (name, key, versions,
                                                                         flexible, path)
        self.messages = {}

    @property
    def snake(self):
        return snake(self.name)

    @property
    def first_flexible(self):
        return -1 if self.flexible.empty else self.flexible.lo


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


# ----------------------------------------------------------------------------------------------
# Parsing


def parse_def(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    api = None
    section = None
    stack = []  # (indent, field)
    for no, raw in enumerate(lines, 1):
        where = f"{path}:{no}"
        text = raw.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if "\t" in raw:
            raise DefError(f"{where}: use spaces, not tabs")
        indent = len(text) - len(text.lstrip(" "))
        words = text.split()
        if indent == 0:
            if words[0] == "api":
                api = parse_api_line(words, where, path)
            elif words[0] in ("request", "response") and len(words) == 1:
                if api is None:
                    raise DefError(f"{where}: '{words[0]}' before the 'api' line")
                if words[0] in api.messages:
                    raise DefError(f"{where}: second '{words[0]}' section")
                section = Message(api, words[0], [])
                api.messages[words[0]] = section
                stack = []
            else:
                raise DefError(f"{where}: expected 'api', 'request' or 'response'")
            continue
        if section is None:
            raise DefError(f"{where}: field outside a request/response section")
        if indent % 2:
            raise DefError(f"{where}: indent by two spaces per level")
        field = parse_field(words, where)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if not stack:
            if indent != 2:
                raise DefError(f"{where}: top-level fields are indented by two spaces")
            section.fields.append(field)
        else:
            parent_indent, parent = stack[-1]
            if indent != parent_indent + 2 or not parent.is_struct:
                raise DefError(f"{where}: unexpected indent (only struct fields have children)")
            parent.children.append(field)
        stack.append((indent, field))
    if api is None:
        raise DefError(f"{path}: no 'api' line")
    for kind in ("request", "response"):
        if kind not in api.messages:
            raise DefError(f"{path}: no '{kind}' section")
        validate_message(api.messages[kind])
    return api


def parse_api_line(words, where, path):
    if len(words) != 5:
        raise DefError(f"{where}: expected 'api Name key=N versions=R flexible=R'")
    props = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    if set(props) != {"key", "versions", "flexible"}:
        raise DefError(f"{where}: expected key=, versions= and flexible=")
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", words[1]):
        raise DefError(f"{where}: API names are PascalCase")
    versions = Range.parse(props["versions"], where)
    if versions.hi is None or versions.empty:
        raise DefError(f"{where}: an API's versions need an upper bound")
    return Api(words[1], int(props["key"]), versions, Range.parse(props["flexible"], where), path)


def parse_field(words, where):
    if len(words) < 3:
        raise DefError(f"{where}: expected 'Name type versions [options]'")
    name, type_text, versions = words[0], words[1], words[2]
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        raise DefError(f"{where}: field names are Kafka's (PascalCase) names")
    field = Field(name, type_text, Range.parse(versions, where), where)
    if field.is_struct and not re.fullmatch(r"[A-Z][A-Za-z0-9]*", field.base):
        raise DefError(f"{where}: unknown type '{type_text}'")
    for opt in words[3:]:
        key, _, value = opt.partition("=")
        if key == "nullable":
            field.nullable = Range.parse(value, where)
        elif key == "tag":
            field.tag = int(value)
        elif key == "tagged":
            field.tagged = Range.parse(value, where)
        elif key == "default":
            field.default = value
        else:
            raise DefError(f"{where}: unknown option '{opt}'")
    if (field.tag is None) != (field.tagged is None):
        raise DefError(f"{where}: tag= and tagged= go together")
    if field.nullable and not field.is_array and field.base not in ("string", "bytes", "records"):
        raise DefError(f"{where}: only strings, bytes, records and arrays can be nullable")
    return field


def validate_message(msg):
    structs = {}

    def walk(fields, where):
        tags = set()
        names = set()
        for f in fields:
            if f.name in names:
                raise DefError(f"{f.line}: duplicate field name {f.name}")
            names.add(f.name)
            if f.member in CPP_KEYWORDS:
                raise DefError(f"{f.line}: field name {f.name} is a C++ keyword")
            if f.tag is not None:
                if f.tag in tags:
                    raise DefError(f"{f.line}: duplicate tag {f.tag} in {where}")
                tags.add(f.tag)
                if msg.api.flexible.empty or f.tagged.lo < msg.api.flexible.lo:
                    raise DefError(f"{f.line}: tagged versions must be flexible versions")
            if f.is_struct:
                if f.base in RESERVED_NAMES or f.base == msg.name:
                    raise DefError(f"{f.line}: struct name {f.base} is reserved")
                if f.base in structs:
                    raise DefError(f"{f.line}: struct {f.base} is defined twice")
                if not f.children:
                    raise DefError(f"{f.line}: struct {f.base} has no fields")
                structs[f.base] = f
                walk(f.children, f.base)
            elif f.children:
                raise DefError(f"{f.line}: a {f.type_text} field has no children")

    walk(msg.fields, msg.name)


# ----------------------------------------------------------------------------------------------
# C++ types and defaults


def cpp_base(f):
    return f.base if f.is_struct else PRIMITIVES[f.base]


def is_optional(f):
    return f.base == "records" and not f.is_array or f.nullable is not None


def cpp_type(f):
    t = cpp_base(f)
    if f.is_array:
        t = f"std::vector<{t}>"
    return f"std::optional<{t}>" if is_optional(f) else t


def default_init(f):
    """The member initializer (without braces/equals), or None for value-initialization."""
    d = f.default
    if f.base == "records" and not f.is_array:
        return None  # null
    if d == "null":
        if not is_optional(f):
            raise DefError(f"{f.line}: default=null on a field that is never nullable")
        return None
    if f.is_array or f.is_struct:
        if d not in (None, ""):
            raise DefError(f"{f.line}: arrays and structs take no default")
        return f"{cpp_base(f) if not f.is_array else 'std::vector<' + cpp_base(f) + '>'}{{}}" \
            if is_optional(f) else None
    if f.base in INT_TYPES:
        if d is None:
            return None
        value = int(d, 0)
        return f"static_cast<{PRIMITIVES[f.base]}>({value}LL)" if value < -2**31 + 1 else \
            (f"{value}" if value >= 0 else f"{value}")
    if f.base == "bool":
        if d not in (None, "true", "false"):
            raise DefError(f"{f.line}: bad bool default {d}")
        return d
    if f.base == "float64":
        return None if d is None else repr(float(d))
    if f.base == "string":
        if d is None:
            return '""' if is_optional(f) else None
        return '"' + d.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if f.base in ("bytes", "uuid"):
        if d not in (None, ""):
            raise DefError(f"{f.line}: {f.base} takes no default")
        return "Bytes{}" if is_optional(f) else None
    raise DefError(f"{f.line}: cannot default {f.type_text}")


def default_value_expr(f):
    init = default_init(f)
    return f"{cpp_type(f)}{{}}" if init is None else f"{cpp_type(f)}({init})"


# ----------------------------------------------------------------------------------------------
# Code emission


class Names:
    """Unique local names inside one generated function (avoids -Wshadow)."""

    def __init__(self):
        self.n = 0

    def __call__(self, stem):
        self.n += 1
        return f"{stem}{self.n}"


def struct_order(fields):
    """Nested structs deepest first, so each is complete before it is used."""
    out = []
    for f in fields:
        if f.is_struct:
            out.extend(struct_order(f.children))
            out.append(f)
    return out


def presence_cond(api, f):
    r = f.tagged if f.tag is not None else f.versions
    if f.tag is not None:
        lo = max(f.tagged.lo, f.versions.lo)
        hi_candidates = [h for h in (f.tagged.hi, f.versions.hi) if h is not None]
        r = Range(lo, min(hi_candidates) if hi_candidates else None)
    return r.cond(api.versions.lo, api.versions.hi)


def emit_write_value(f, expr, w, names, out, ind):
    """Writes the value `expr` of field f (ignoring tags) with writer `w`."""
    pad = "    " * ind
    nullable_here = f.nullable.cond() if f.nullable else "false"
    opt = is_optional(f)
    if f.is_array:
        arr = names("arr")
        if opt:
            out.append(f"{pad}if (({nullable_here}) && !{expr}) {{")
            out.append(f"{pad}    {w}.write_array_length(-1, flexible);")
            out.append(f"{pad}}} else {{")
            out.append(f"{pad}    static const std::vector<{cpp_base(f)}> kEmpty;")
            out.append(f"{pad}    const auto& {arr} = {expr} ? *{expr} : kEmpty;")
        else:
            out.append(f"{pad}{{")
            out.append(f"{pad}    const auto& {arr} = {expr};")
        out.append(f"{pad}    {w}.write_array_length(static_cast<int32_t>({arr}.size()), flexible);")
        e = names("e")
        out.append(f"{pad}    for (const auto& {e} : {arr}) {{")
        emit_write_scalar(f, e, w, out, ind + 2)
        out.append(f"{pad}    }}")
        out.append(f"{pad}}}")
        return
    if f.base in ("string", "bytes", "records") and opt:
        kind = "string" if f.base == "string" else "bytes"
        empty = "std::string_view{}" if kind == "string" else "std::span<const uint8_t>{}"
        out.append(f"{pad}if ({nullable_here}) {{")
        out.append(f"{pad}    {w}.write_nullable_{kind}({expr}, flexible);")
        out.append(f"{pad}}} else {{")
        val = f"*{expr}" if kind == "string" else f"std::span<const uint8_t>(*{expr})"
        out.append(f"{pad}    {w}.write_{kind}({expr} ? {val} : {empty}, flexible);")
        out.append(f"{pad}}}")
        return
    emit_write_scalar(f, expr, w, out, ind)


def emit_write_scalar(f, expr, w, out, ind):
    """One non-array, non-null value of f's base type."""
    pad = "    " * ind
    b = f.base
    if f.is_struct:
        out.append(f"{pad}{expr}.write({w}, version);")
    elif b in INT_TYPES or b in ("float64", "bool", "uuid"):
        out.append(f"{pad}{w}.write_{b}({expr});")
    elif b == "string":
        out.append(f"{pad}{w}.write_string({expr}, flexible);")
    else:
        out.append(f"{pad}{w}.write_bytes({expr}, flexible);")


def emit_read_value(f, target, r, names, out, ind):
    """Reads field f (ignoring tags) from reader `r` into the lvalue `target`."""
    pad = "    " * ind
    nullable_here = f.nullable.cond() if f.nullable else "false"
    opt = is_optional(f)
    if f.is_array:
        n = names("n")
        out.append(f"{pad}{{")
        out.append(f"{pad}    TRIBUTARY_TRY({n}, {r}.read_array_length(flexible));")
        out.append(f"{pad}    if ({n} < 0) {{")
        if opt:
            out.append(f"{pad}        if (!({nullable_here})) {{")
            out.append(f"{pad}            return common::Errc::Malformed;")
            out.append(f"{pad}        }}")
            out.append(f"{pad}        {target}.reset();")
        else:
            out.append(f"{pad}        return common::Errc::Malformed;")
        out.append(f"{pad}    }} else {{")
        arr = names("arr")
        if opt:
            out.append(f"{pad}        auto& {arr} = {target}.emplace();")
        else:
            out.append(f"{pad}        auto& {arr} = {target};")
            out.append(f"{pad}        {arr}.clear();")
        i = names("i")
        out.append(f"{pad}        for (int32_t {i} = 0; {i} < {n}; ++{i}) {{")
        emit_read_scalar(f, f"{arr}.emplace_back()", r, names, out, ind + 3, push=True)
        out.append(f"{pad}        }}")
        out.append(f"{pad}    }}")
        out.append(f"{pad}}}")
        return
    if f.base in ("string", "bytes", "records") and opt:
        kind = "string" if f.base == "string" else "bytes"
        v = names("v")
        out.append(f"{pad}if ({nullable_here}) {{")
        out.append(f"{pad}    TRIBUTARY_TRY({v}, {r}.read_nullable_{kind}(flexible));")
        out.append(f"{pad}    {target} = std::move({v});")
        out.append(f"{pad}}} else {{")
        out.append(f"{pad}    TRIBUTARY_TRY({v}, {r}.read_{kind}(flexible));")
        out.append(f"{pad}    {target} = std::move({v});")
        out.append(f"{pad}}}")
        return
    emit_read_scalar(f, target, r, names, out, ind)


def emit_read_scalar(f, target, r, names, out, ind, push=False):
    pad = "    " * ind
    b = f.base
    v = names("v")
    if f.is_struct:
        call = f"{f.base}::read({r}, version)"
    elif b in INT_TYPES or b in ("float64", "bool", "uuid"):
        call = f"{r}.read_{b}()"
    elif b == "string":
        call = f"{r}.read_string(flexible)"
    else:
        call = f"{r}.read_bytes(flexible)"
    out.append(f"{pad}{{")
    out.append(f"{pad}    TRIBUTARY_TRY({v}, {call});")
    if push:
        # target is "<vec>.emplace_back()": append the value.
        vec = target[: -len(".emplace_back()")]
        out.append(f"{pad}    {vec}.push_back(std::move({v}));")
    else:
        out.append(f"{pad}    {target} = std::move({v});")
    out.append(f"{pad}}}")


def flexible_expr(api):
    return "false" if api.flexible.empty else f"version >= {api.flexible.lo}"


def emit_struct_codec(api, qual, fields, out):
    """write() and read() of one struct (the message itself or a nested struct)."""
    regular = [f for f in fields if f.tag is None]
    tagged = sorted((f for f in fields if f.tag is not None), key=lambda f: f.tag)
    short = qual.split("::")[-1]

    # write
    names = Names()
    out.append(f"void {qual}::write(Writer& w, [[maybe_unused]] int16_t version) const {{")
    out.append(f"    [[maybe_unused]] const bool flexible = {flexible_expr(api)};")
    for f in regular:
        cond = presence_cond(api, f)
        if cond == "true":
            emit_write_value(f, f.member, "w", names, out, 1)
        else:
            out.append(f"    if ({cond}) {{")
            emit_write_value(f, f.member, "w", names, out, 2)
            out.append("    }")
    if not api.flexible.empty:
        out.append("    if (flexible) {")
        if not tagged:
            out.append("        w.write_uvarint(0);")
        else:
            out.append("        uint32_t tagged_count = 0;")
            conds = []
            for f in tagged:
                c = f"({presence_cond(api, f)}) && {f.member} != {default_value_expr(f)}"
                conds.append(c)
                out.append(f"        if ({c}) {{")
                out.append("            ++tagged_count;")
                out.append("        }")
            out.append("        w.write_uvarint(tagged_count);")
            for f, c in zip(tagged, conds):
                t = names("t")
                out.append(f"        if ({c}) {{")
                out.append(f"            Writer {t};")
                emit_write_value(f, f.member, t, names, out, 3)
                out.append(f"            w.write_uvarint({f.tag});")
                out.append(f"            w.write_uvarint(static_cast<uint32_t>({t}.size()));")
                out.append(f"            w.write_raw({t}.data());")
                out.append("        }")
        out.append("    }")
    out.append("}")
    out.append("")

    # read
    names = Names()
    out.append(f"common::Result<{qual}> {qual}::read(Reader& r, "
               f"[[maybe_unused]] int16_t version) {{")
    out.append(f"    [[maybe_unused]] const bool flexible = {flexible_expr(api)};")
    out.append(f"    {short} m;")
    for f in regular:
        cond = presence_cond(api, f)
        if cond == "true":
            emit_read_value(f, f"m.{f.member}", "r", names, out, 1)
        else:
            out.append(f"    if ({cond}) {{")
            emit_read_value(f, f"m.{f.member}", "r", names, out, 2)
            out.append("    }")
    if not api.flexible.empty:
        out.append("    if (flexible) {")
        if not tagged:
            out.append("        TRIBUTARY_TRY(r.skip_tagged_fields());")
        else:
            out.append("        TRIBUTARY_TRY(tag_count, r.read_uvarint());")
            out.append("        for (uint32_t k = 0; k < tag_count; ++k) {")
            out.append("            TRIBUTARY_TRY(tag, r.read_uvarint());")
            out.append("            TRIBUTARY_TRY(size, r.read_uvarint());")
            out.append("            TRIBUTARY_TRY(payload, r.read_raw(size));")
            out.append("            Reader tr(payload);")
            out.append("            switch (tag) {")
            for f in tagged:
                out.append(f"                case {f.tag}:")
                out.append(f"                    if ({presence_cond(api, f)}) {{")
                emit_read_value(f, f"m.{f.member}", "tr", names, out, 6)
                out.append("                    }")
                out.append("                    break;")
            out.append("                default:")
            out.append("                    break;  // unknown tags are skipped")
            out.append("            }")
            out.append("        }")
        out.append("    }")
    out.append("    return m;")
    out.append("}")
    out.append("")


def emit_struct_decl(f_name, fields, out, ind, api=None, msg=None):
    pad = "    " * ind
    out.append(f"{pad}struct {f_name} {{")
    if msg is not None:
        out.append(f"{pad}    static constexpr ApiKey kApiKey = ApiKey::{api.name};")
        out.append(f"{pad}    static constexpr bool kIsRequest = {str(msg.kind == 'request').lower()};")
        out.append(f"{pad}    static constexpr int16_t kMinVersion = {api.versions.lo};")
        out.append(f"{pad}    static constexpr int16_t kMaxVersion = {api.versions.hi};")
        out.append(f"{pad}    static constexpr int16_t kFirstFlexibleVersion = {api.first_flexible};")
        out.append("")
        for s in struct_order(fields):
            emit_struct_decl(s.base, s.children, out, ind + 1)
            out.append("")
    for f in fields:
        init = default_init(f)
        versions = f.versions.text()
        note = f"  // v{versions}"
        if f.nullable:
            note += f", nullable v{f.nullable.text()}"
        if f.tag is not None:
            note += f", tag {f.tag} in v{f.tagged.text()}"
        decl = f"{cpp_type(f)} {f.member}" + (f" = {init};" if init is not None else "{};")
        out.append(f"{pad}    {decl}{note}")
    out.append("")
    out.append(f"{pad}    bool operator==(const {f_name}&) const = default;")
    out.append(f"{pad}    void write(Writer& w, int16_t version) const;")
    out.append(f"{pad}    [[nodiscard]] static common::Result<{f_name}> read(Reader& r, "
               f"int16_t version);")
    out.append(f"{pad}}};")


GENERATED_NOTE = "// Generated by common/protocol/generator/generate.py from {src}. Do not edit."


def gen_header(api):
    src = f"common/protocol/messages/{os.path.basename(api.path)}"
    out = ["#pragma once", GENERATED_NOTE.format(src=src), ""]
    out += ["#include <cstdint>", "#include <optional>", "#include <string>", "#include <vector>",
            "", '#include "common/protocol/api_key.h"', '#include "common/protocol/reader.h"',
            '#include "common/protocol/types.h"', '#include "common/protocol/writer.h"',
            '#include "common/result.h"', "", "namespace common::protocol {", ""]
    for kind in ("request", "response"):
        msg = api.messages[kind]
        emit_struct_decl(msg.name, msg.fields, out, 0, api=api, msg=msg)
        out.append("")
    out.append("}  // namespace common::protocol")
    return "\n".join(out) + "\n"


def gen_source(api):
    src = f"common/protocol/messages/{os.path.basename(api.path)}"
    out = [GENERATED_NOTE.format(src=src), f'#include "common/protocol/messages/{api.snake}.h"',
           "", "#include <span>", "#include <string_view>", "#include <utility>", "",
           '#include "common/errc.h"', "", "namespace common::protocol {", ""]
    for kind in ("request", "response"):
        msg = api.messages[kind]
        for s in struct_order(msg.fields):
            emit_struct_codec(api, f"{msg.name}::{s.base}", s.children, out)
        emit_struct_codec(api, msg.name, msg.fields, out)
    out.append("}  // namespace common::protocol")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# Test data: every field present in a version gets a non-default value.


def fill_value_lines(api, f, target, out, ind, names):
    pad = "    " * ind
    if f.is_array:
        arr = names("arr")
        out.append(f"{pad}{{")
        out.append(f"{pad}    auto& {arr} = {target + '.emplace()' if is_optional(f) else target};")
        out.append(f"{pad}    {arr}.clear();")
        out.append(f"{pad}    for (int k = 0; k < 2; ++k) {{")
        fill_scalar_lines(api, f, f"{arr}.emplace_back()", out, ind + 2, names)
        out.append(f"{pad}    }}")
        out.append(f"{pad}}}")
        return
    if is_optional(f):
        fill_scalar_lines(api, f, f"{target}.emplace()", out, ind, names)
    else:
        fill_scalar_lines(api, f, target, out, ind, names)


def fill_scalar_lines(api, f, target, out, ind, names):
    pad = "    " * ind
    b = f.base
    if f.is_struct:
        v = names("s")
        out.append(f"{pad}{{")
        out.append(f"{pad}    auto& {v} = {target};")
        out.append(f"{pad}    fill({v}, version, seed);")
        out.append(f"{pad}}}")
    elif b in INT_TYPES:
        base = 0 if (f.default in (None, "", "null") or f.is_array) else int(f.default, 0)
        t = PRIMITIVES[b]
        out.append(f"{pad}{target} = static_cast<{t}>({base}LL + 1 + (seed++ % 100));")
    elif b == "bool":
        out.append(f"{pad}{target} = {'false' if f.default == 'true' else 'true'};")
    elif b == "float64":
        out.append(f"{pad}{target} = 0.5 + seed++;")
    elif b == "string":
        out.append(f'{pad}{target} = "s" + std::to_string(seed++);')
    elif b == "uuid":
        v = names("u")
        out.append(f"{pad}{{")
        out.append(f"{pad}    auto& {v} = {target};")
        out.append(f"{pad}    for (size_t k = 0; k < {v}.size(); ++k) {{")
        out.append(f"{pad}        {v}[k] = static_cast<uint8_t>(seed + static_cast<int>(k) + 1);")
        out.append(f"{pad}    }}")
        out.append(f"{pad}    ++seed;")
        out.append(f"{pad}}}")
    else:
        out.append(f"{pad}{target} = Bytes{{1, 2, 3, static_cast<uint8_t>(seed++)}};")


def emit_fill(api, qual, fields, out):
    names = Names()
    out.append(f"[[maybe_unused]] void fill({qual}& m, [[maybe_unused]] int16_t version, "
               f"[[maybe_unused]] int& seed) {{")
    for f in fields:
        cond = presence_cond(api, f)
        out.append(f"    if ({cond}) {{")
        fill_value_lines(api, f, f"m.{f.member}", out, 2, names)
        out.append("    }")
    out.append("}")
    out.append("")


def gen_test_data(api):
    src = f"common/protocol/messages/{os.path.basename(api.path)}"
    out = [GENERATED_NOTE.format(src=src),
           f'#include "common/protocol/messages/{api.snake}_test_data.h"', "",
           "#include <string>", "", "namespace common::protocol::test_data {", "namespace {", ""]
    for kind in ("request", "response"):
        msg = api.messages[kind]
        for s in struct_order(msg.fields):
            out.append(f"void fill({msg.name}::{s.base}& m, int16_t version, int& seed);")
    out.append("")
    for kind in ("request", "response"):
        msg = api.messages[kind]
        for s in struct_order(msg.fields):
            emit_fill(api, f"{msg.name}::{s.base}", s.children, out)
        emit_fill(api, msg.name, msg.fields, out)
    out.append("}  // namespace")
    out.append("")
    for kind in ("request", "response"):
        msg = api.messages[kind]
        out.append(f"void fill({msg.name}& m, int16_t version) {{")
        out.append("    int seed = 1;")
        out.append("    fill(m, version, seed);")
        out.append("}")
        out.append("")
    out.append("}  // namespace common::protocol::test_data")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# Aggregates over every definition


def gen_api_table(apis):
    out = [GENERATED_NOTE.format(src="common/protocol/messages/*.def"),
           '#include "common/protocol/api_table.h"', "", "#include <array>", "",
           "namespace common::protocol {", "namespace {", "",
           f"constexpr std::array<ApiInfo, {len(apis)}> kApis = {{{{"]
    for a in apis:
        out.append(f"    {{ApiKey::{a.name}, {a.versions.lo}, {a.versions.hi}, "
                   f"{a.first_flexible}}},")
    out += ["}};", "", "}  // namespace", "",
            "std::span<const ApiInfo> defined_apis() { return kApis; }", "",
            "const ApiInfo* find_api(ApiKey key) {",
            "    for (const auto& api : kApis) {",
            "        if (api.key == key) {",
            "            return &api;",
            "        }",
            "    }",
            "    return nullptr;",
            "}", "",
            "bool is_flexible_version(ApiKey key, int16_t version) {",
            "    const ApiInfo* api = find_api(key);",
            "    // Open-ended like Kafka's flexible ranges: a newer client's higher version of a",
            "    // flexible API still sends a flexible header (e.g. ApiVersions v5).",
            "    return api != nullptr && api->first_flexible_version >= 0 &&",
            "           version >= api->first_flexible_version;",
            "}", "", "}  // namespace common::protocol"]
    return "\n".join(out) + "\n"


def gen_all_header(apis):
    out = ["#pragma once", GENERATED_NOTE.format(src="common/protocol/messages/*.def"),
           "// Every generated message header, and a compile-time list of the message types.",
           "// For tests, fuzzers and tools; production code includes only what it uses.", ""]
    out += [f'#include "common/protocol/messages/{a.snake}.h"' for a in apis]
    out += ["", "namespace common::protocol {", "",
            "// Calls f.template operator()<T>() for every generated request and response type.",
            "template <class F>", "void for_each_message_type(F&& f) {"]
    for a in apis:
        out.append(f"    f.template operator()<{a.name}Request>();")
        out.append(f"    f.template operator()<{a.name}Response>();")
    out += ["}", "", "}  // namespace common::protocol"]
    return "\n".join(out) + "\n"


def gen_api_test_data_header(api):
    src = f"common/protocol/messages/{os.path.basename(api.path)}"
    out = ["#pragma once", GENERATED_NOTE.format(src=src), "", "#include <cstdint>", "",
           f'#include "common/protocol/messages/{api.snake}.h"', "",
           "namespace common::protocol::test_data {", "",
           f"void fill({api.name}Request& m, int16_t version);",
           f"void fill({api.name}Response& m, int16_t version);", "",
           "}  // namespace common::protocol::test_data"]
    return "\n".join(out) + "\n"


def gen_test_data_header(apis):
    out = ["#pragma once", GENERATED_NOTE.format(src="common/protocol/messages/*.def"),
           "// Test data: fill(m, version) sets every field present in `version` to a non-default",
           "// value (arrays get two elements, nullable fields a value). Deterministic.", "",
           '#include "common/protocol/messages/all.h"']
    out += [f'#include "common/protocol/messages/{a.snake}_test_data.h"' for a in apis]
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="root of the generated tree")
    ap.add_argument("mode", choices=["message", "aggregate", "check"])
    ap.add_argument("defs", nargs="+")
    args = ap.parse_args()
    try:
        apis = [parse_def(p) for p in args.defs]
        keys = {}
        for a in apis:
            if a.key in keys:
                raise DefError(f"{a.path}: API key {a.key} also used by {keys[a.key]}")
            keys[a.key] = a.name
        apis.sort(key=lambda a: a.key)
        for a in apis:  # type and default errors surface here, in every mode
            gen_header(a)
            gen_source(a)
            gen_test_data(a)
    except DefError as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 1
    if args.mode == "check":
        return 0
    if not args.out:
        print("generate.py: --out is required", file=sys.stderr)
        return 2
    gen = os.path.join(args.out, "common", "protocol", "messages")
    if args.mode == "message":
        for a in apis:
            write_if_changed(os.path.join(gen, f"{a.snake}.h"), gen_header(a))
            write_if_changed(os.path.join(gen, f"{a.snake}.cc"), gen_source(a))
            write_if_changed(os.path.join(gen, f"{a.snake}_test_data.h"),
                             gen_api_test_data_header(a))
            write_if_changed(os.path.join(gen, f"{a.snake}_test_data.cc"), gen_test_data(a))
    else:
        write_if_changed(os.path.join(gen, "api_table.cc"), gen_api_table(apis))
        write_if_changed(os.path.join(gen, "all.h"), gen_all_header(apis))
        write_if_changed(os.path.join(gen, "test_data.h"), gen_test_data_header(apis))
    return 0


if __name__ == "__main__":
    sys.exit(main())
