package main

import (
	"fmt"

	"example.com/shop/internal/cart"
)

// report lives in the same package as main.go, which calls it without any import.
func report(c *cart.Cart) {
	fmt.Println(c.Total())
}
