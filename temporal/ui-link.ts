/** Where an engineer sees a workflow run in Temporal UI (used by the API and the web app). */
export function temporalWorkflowUrl(temporalUiUrl: string, namespace: string, workflowId: string): string {
  return `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
