package main

import (
	"fmt"
	"os"

	"example.com/shop/internal/cart"
	"example.com/shop/internal/store"
)

func main() {
	c := cart.New()
	c.Add(cart.Item{Name: "tea", Cents: 350})
	if err := store.Save(c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	report(c)
}
