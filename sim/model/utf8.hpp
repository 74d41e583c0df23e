#pragma once
// Well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF). Text read from files is checked before a message can quote it: an invalid byte
// in a message would fail wherever the message is decoded (Python's exceptions, JSON).
#include <cstddef>
#include <optional>
#include <string_view>

namespace sluice::model {

// The length of the UTF-8 character that starts at `i` (1 to 4), or 0 when the bytes there are
// not one.
std::size_t utf8_length(std::string_view text, std::size_t i);

// The offset of the first byte that does not start a well-formed character, if any.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace sluice::model
