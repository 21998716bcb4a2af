"""Chart builders of single chapters (one module per chapter), so that notebooks hold no function
definitions. Charts shared by several chapters are in ``csto.charts``."""
