"""One page per workflow stage; ``ui.navigation.STAGES`` says which class shows which stage."""
