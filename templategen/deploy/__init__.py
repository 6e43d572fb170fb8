"""Deploy ARM templates through the Resource Manager SDK: validate, what-if, create-or-update.

Nothing in this package imports `azure.*` at module level: the SDK costs about 0.5 s to import and
only `templategen deploy` may pay for it (`lint` and `generate` must start fast). Modules:

* `request`  — template and parameters (`-p` files, inline JSON, `name=value`) → plain-dict bodies
* `clouds`   — endpoints, token audiences, sign-in hosts and portals of the Azure clouds
* `client`   — credential, `DeploymentsMgmtClient`, bounded retries, masked SDK logging
* `run`      — the three actions and what is printed where
* `progress` — the status line / plain progress lines while a deployment runs
* `whatif`   — what-if result → masked, coloured diff
* `failures` — azure exceptions → headline, error tree, failed operations, exit code
* `masking`  — secure parameter values, tokens and SAS signatures kept out of all output
* `gate`     — the lint gate run before anything is sent
* `errors`   — `DeployError` and the exit codes
"""
