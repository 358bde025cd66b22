#include "geom/circle.hpp"

#include <cmath>

namespace geom {

Circle::Circle(double radius) : radius_(radius) {}

double Circle::area() const { return M_PI * std::pow(radius_, 2); }

void Circle::scale(double factor) { radius_ *= factor; }

}  // namespace geom
