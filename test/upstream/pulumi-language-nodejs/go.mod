// Wrapper module for the Pulumi Node.js language host, kept apart from ../pulumi because the module
// proxy refuses the language host module (see versions.env): while it does, this module cannot be
// tidied and has no go.sum. build.sh builds it in a scratch copy with -mod=mod, which either fetches
// it or fails with the proxy's own error, recorded as the reason the tool is missing. pkg/v3 and
// sdk/v3 are pinned so that minimal version selection keeps them at the CLI's release.
module clusterkit.test/upstream/pulumi-language-nodejs

go 1.25.11

tool github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

require (
	github.com/pulumi/pulumi/pkg/v3 v3.248.0
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 v3.0.0-20260624120734-a88168d865b7
	github.com/pulumi/pulumi/sdk/v3 v3.248.0
)
