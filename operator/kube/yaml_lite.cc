#include "operator/kube/yaml_lite.h"

#include <sstream>
#include <vector>

#include "operator/kube/errc.h"

namespace kop::kube {
namespace {

using nlohmann::json;

struct Line {
    size_t indent = 0;
    std::string text;
};

std::string strip_comment(const std::string& s) {
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
            return s.substr(0, i);
        }
    }
    return s;
}

std::string rtrim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    return s;
}

std::vector<Line> split_lines(const std::string& text) {
    std::vector<Line> out;
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
        std::string s = rtrim(strip_comment(raw));
        size_t indent = s.find_first_not_of(' ');
        if (indent == std::string::npos) continue;
        if (s == "---" || s == "...") continue;
        out.push_back({indent, s.substr(indent)});
    }
    return out;
}

bool is_dash(const std::string& t) {
    return t == "-" || t.rfind("- ", 0) == 0;
}

// Position of the ':' that ends a mapping key, or npos.
size_t key_separator(const std::string& t) {
    size_t start = 0;
    if (!t.empty() && (t[0] == '"' || t[0] == '\'')) {
        size_t end = t.find(t[0], 1);
        if (end == std::string::npos) return std::string::npos;
        start = end + 1;
    }
    for (size_t i = start; i < t.size(); ++i) {
        if (t[i] == ':' && (i + 1 == t.size() || t[i + 1] == ' ')) return i;
    }
    return std::string::npos;
}

common::Result<json> scalar(const std::string& v) {
    if (v.empty() || v == "~" || v == "null") return json(nullptr);
    if (v == "true") return json(true);
    if (v == "false") return json(false);
    if (v[0] == '&' || v[0] == '*' || v[0] == '!' || v[0] == '|' || v[0] == '>') {
        return make_error_code(Errc::Invalid);
    }
    if (v[0] == '\'') {
        if (v.size() < 2 || v.back() != '\'') return make_error_code(Errc::Invalid);
        std::string out;
        for (size_t i = 1; i + 1 < v.size(); ++i) {
            out += v[i];
            if (v[i] == '\'' && v[i + 1] == '\'') ++i;
        }
        return json(out);
    }
    if (v[0] == '"' || v[0] == '[' || v[0] == '{') {
        json parsed = json::parse(v, nullptr, false);
        if (parsed.is_discarded()) return make_error_code(Errc::Invalid);
        return parsed;
    }
    if (v.find_first_not_of("-0123456789") == std::string::npos && v != "-") {
        json parsed = json::parse(v, nullptr, false);
        if (!parsed.is_discarded()) return parsed;
    }
    return json(v);
}

class Parser {
  public:
    explicit Parser(std::vector<Line> lines) : lines_(std::move(lines)) {}

    common::Result<json> document() {
        if (lines_.empty()) return json(nullptr);
        TRIBUTARY_TRY(root, node(lines_[0].indent));
        if (pos_ != lines_.size()) return make_error_code(Errc::Invalid);
        return root;
    }

  private:
    common::Result<json> node(size_t indent) {
        if (is_dash(lines_[pos_].text)) return sequence(indent);
        return mapping(indent);
    }

    // The value after "key:" with nothing on the same line: a nested block or null.
    common::Result<json> nested(size_t parent_indent) {
        if (pos_ >= lines_.size()) return json(nullptr);
        const Line& next = lines_[pos_];
        if (next.indent > parent_indent || (next.indent == parent_indent && is_dash(next.text))) {
            return node(next.indent);
        }
        return json(nullptr);
    }

    common::Result<json> mapping(size_t indent) {
        json out = json::object();
        while (pos_ < lines_.size() && lines_[pos_].indent == indent &&
               !is_dash(lines_[pos_].text)) {
            const std::string text = lines_[pos_].text;
            size_t sep = key_separator(text);
            if (sep == std::string::npos) return make_error_code(Errc::Invalid);
            TRIBUTARY_TRY(key, scalar(text.substr(0, sep)));
            std::string value = sep + 1 < text.size() ? text.substr(sep + 2) : "";
            ++pos_;
            std::string name = key.is_string() ? key.get<std::string>() : key.dump();
            if (!value.empty()) {
                TRIBUTARY_TRY(v, scalar(value));
                out[name] = std::move(v);
            } else {
                TRIBUTARY_TRY(v, nested(indent));
                out[name] = std::move(v);
            }
        }
        if (pos_ < lines_.size() && lines_[pos_].indent > indent) {
            return make_error_code(Errc::Invalid);
        }
        return out;
    }

    common::Result<json> sequence(size_t indent) {
        json out = json::array();
        while (pos_ < lines_.size() && lines_[pos_].indent == indent &&
               is_dash(lines_[pos_].text)) {
            Line& line = lines_[pos_];
            if (line.text == "-") {
                ++pos_;
                TRIBUTARY_TRY(v, nested(indent + 1));
                out.push_back(std::move(v));
                continue;
            }
            std::string rest = line.text.substr(2);
            size_t extra = rest.find_first_not_of(' ');
            rest = rest.substr(extra);
            if (key_separator(rest) != std::string::npos) {
                // "- key: v" opens a mapping whose keys sit where "key" starts.
                line.indent = indent + 2 + extra;
                line.text = rest;
                TRIBUTARY_TRY(v, mapping(line.indent));
                out.push_back(std::move(v));
            } else {
                ++pos_;
                TRIBUTARY_TRY(v, scalar(rest));
                out.push_back(std::move(v));
            }
        }
        return out;
    }

    std::vector<Line> lines_;
    size_t pos_ = 0;
};

}  // namespace

common::Result<nlohmann::json> parse_yaml_lite(const std::string& text) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
        json parsed = json::parse(text, nullptr, false);
        if (parsed.is_discarded()) return make_error_code(Errc::Invalid);
        return parsed;
    }
    Parser parser(split_lines(text));
    return parser.document();
}

}  // namespace kop::kube
