"""Pages generated from the repository: the data dictionary, the build information, the data package."""
