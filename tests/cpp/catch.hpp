#pragma once
// One include for Catch2 2.x (Debian 12) and 3.x (Debian 13): test files stay the same.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
using Catch::Approx;
namespace Catch {  // Catch2 2.x's name for the substring matcher
inline auto Contains(const std::string& s) { return Matchers::ContainsSubstring(s); }
}  // namespace Catch
#else
#include <catch2/catch.hpp>
#endif
