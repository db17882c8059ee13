"""Our own shop's daily figures from the platforms' exports: targets, swings, page health."""
