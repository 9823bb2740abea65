"""Output: the results a page or the CLI shows, pictures, comparisons and the PDF report."""
