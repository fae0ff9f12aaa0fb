#include "metrics.hpp"

#include <catch2/catch.hpp>

using sup::obs::MetricsWriter;

TEST_CASE("metrics: label values escape backslash, double quote and line feed") {
    REQUIRE(sup::obs::escape_label_value(R"(a\b"c)") == R"(a\\b\"c)");
    REQUIRE(sup::obs::escape_label_value("two\nlines") == R"(two\nlines)");
    REQUIRE(sup::obs::escape_label_value("tab\tkept") == "tab\tkept");
    REQUIRE(sup::obs::escape_label_value("bad\xFF") == "bad\xEF\xBF\xBD");
}

TEST_CASE("metrics: HELP escapes backslash and line feed, not quotes") {
    REQUIRE(sup::obs::escape_help("say \"hi\"\\\n") == "say \"hi\"\\\\\\n");
}

TEST_CASE("metrics: families and samples in the text format") {
    MetricsWriter m;
    m.family("supc_child_restarts_total", "counter", "Restarts of a child.");
    m.sample("supc_child_restarts_total", {{"path", "services/cache"}}, std::uint64_t(3));
    m.sample("supc_child_restarts_total", {{"path", "we\"ird\\id\n"}}, std::uint64_t(1));
    m.family("supc_tree_up", "gauge", "Up.");
    m.sample("supc_tree_up", {}, std::uint64_t(1));
    m.family("supc_x_seconds", "gauge", "A float.");
    m.sample("supc_x_seconds", {{"a", "1"}, {"b", "2"}}, 0.25);
    m.sample("supc_x_seconds", {}, 1.0 / 0.0);
    REQUIRE(m.str() == "# HELP supc_child_restarts_total Restarts of a child.\n"
                       "# TYPE supc_child_restarts_total counter\n"
                       "supc_child_restarts_total{path=\"services/cache\"} 3\n"
                       "supc_child_restarts_total{path=\"we\\\"ird\\\\id\\n\"} 1\n"
                       "# HELP supc_tree_up Up.\n"
                       "# TYPE supc_tree_up gauge\n"
                       "supc_tree_up 1\n"
                       "# HELP supc_x_seconds A float.\n"
                       "# TYPE supc_x_seconds gauge\n"
                       "supc_x_seconds{a=\"1\",b=\"2\"} 0.25\n"
                       "supc_x_seconds +Inf\n");
}
