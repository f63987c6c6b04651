#pragma once
// Metrics: a small Prometheus registry (counters, gauges, gauge callbacks, histograms) rendered
// in the text exposition format. Thread-safe; one per manager, shared by its controllers.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace kop::runtime {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
  public:
    void describe(const std::string& name, const std::string& type, const std::string& help);
    void inc(const std::string& name, const Labels& labels = {}, double by = 1.0);
    void set(const std::string& name, const Labels& labels, double value);
    // A gauge read at scrape time (queue depth, leadership).
    void gauge_fn(const std::string& name, const Labels& labels, std::function<double()> fn);
    void observe(const std::string& name, const Labels& labels, double seconds);

    double value(const std::string& name, const Labels& labels = {}) const;  // for tests
    std::string render() const;

  private:
    struct Histogram {
        std::vector<double> counts;  // one per bucket
        double sum = 0;
        double count = 0;
    };
    struct Family {
        std::string type = "untyped";
        std::string help;
        std::map<std::string, double> values;  // by rendered label set
        std::map<std::string, std::function<double()>> fns;
        std::map<std::string, Histogram> histograms;
    };

    mutable std::mutex mu_;
    std::map<std::string, Family> families_;
};

// {a="x",b="y"} with escaping; "" for no labels.
std::string render_labels(const Labels& labels);

}  // namespace kop::runtime
