#pragma once

#include "shape.hpp"

namespace geom {

class Circle : public Shape {
public:
  explicit Circle(double radius);
  double area() const override;
  void scale(double factor);

private:
  double radius_;
};

}  // namespace geom
