// Command pulumi-resource-kubernetes serves the upstream Kubernetes provider. Upstream's own main
// embeds schema-embed.json and terraform-mapping-embed.json, which its build generates and the module
// zip does not carry; build.sh generates them from the module's schema.json and
// terraform-mapping.json into a scratch copy of this module before building, so they never enter
// the repository.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
