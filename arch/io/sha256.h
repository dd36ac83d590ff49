#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: how a run records which exact input
// file (an ONNX graph) it read.

#include <string>
#include <string_view>

namespace catsim {

std::string sha256_hex(std::string_view bytes);

}  // namespace catsim
