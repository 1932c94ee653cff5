"""The RgWsPublic2 SOAP layer: the zeep client, the error-code table, the bundled WSDL/XSD."""
