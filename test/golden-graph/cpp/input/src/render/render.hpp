#pragma once

#include <string>

namespace geom {
class Shape;
}

std::string describe(const geom::Shape &shape);
