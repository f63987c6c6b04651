#include "operator/runtime/metrics.h"

#include <fmt/format.h>

namespace kop::runtime {
namespace {

const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                      1,     2.5,  5,     10,   30,  60};

std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string with_label(const std::string& labels, const std::string& extra) {
    if (labels.empty()) return "{" + extra + "}";
    return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string render_labels(const Labels& labels) {
    if (labels.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ",";
        out += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
    }
    return out + "}";
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
    std::lock_guard lock(mu_);
    families_[name].type = type;
    families_[name].help = help;
}

void Metrics::inc(const std::string& name, const Labels& labels, double by) {
    std::lock_guard lock(mu_);
    families_[name].values[render_labels(labels)] += by;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
    std::lock_guard lock(mu_);
    families_[name].values[render_labels(labels)] = value;
}

void Metrics::gauge_fn(const std::string& name, const Labels& labels, std::function<double()> fn) {
    std::lock_guard lock(mu_);
    families_[name].fns[render_labels(labels)] = std::move(fn);
}

void Metrics::observe(const std::string& name, const Labels& labels, double seconds) {
    std::lock_guard lock(mu_);
    auto& h = families_[name].histograms[render_labels(labels)];
    if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) h.counts[i] += 1;
    }
    h.sum += seconds;
    h.count += 1;
}

double Metrics::value(const std::string& name, const Labels& labels) const {
    std::lock_guard lock(mu_);
    auto f = families_.find(name);
    if (f == families_.end()) return 0;
    std::string key = render_labels(labels);
    if (auto v = f->second.values.find(key); v != f->second.values.end()) return v->second;
    if (auto h = f->second.histograms.find(key); h != f->second.histograms.end()) {
        return h->second.count;
    }
    if (auto fn = f->second.fns.find(key); fn != f->second.fns.end()) return fn->second();
    return 0;
}

std::string Metrics::render() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, f] : families_) {
        if (!f.help.empty()) out += fmt::format("# HELP {} {}\n", name, f.help);
        out += fmt::format("# TYPE {} {}\n", name, f.type);
        for (const auto& [labels, v] : f.values) out += fmt::format("{}{} {}\n", name, labels, v);
        for (const auto& [labels, fn] : f.fns) out += fmt::format("{}{} {}\n", name, labels, fn());
        for (const auto& [labels, h] : f.histograms) {
            for (size_t i = 0; i < kBuckets.size(); ++i) {
                out += fmt::format("{}_bucket{} {}\n", name,
                                   with_label(labels, fmt::format("le=\"{}\"", kBuckets[i])),
                                   h.counts[i]);
            }
            out +=
                fmt::format("{}_bucket{} {}\n", name, with_label(labels, "le=\"+Inf\""), h.count);
            out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, labels, h.sum, name, labels,
                               h.count);
        }
    }
    return out;
}

}  // namespace kop::runtime
