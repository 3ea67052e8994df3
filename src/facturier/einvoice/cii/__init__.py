"""UN/CEFACT Cross Industry Invoice D16B, as profiled by Factur-X 1.0x / ZUGFeRD 2.x."""
