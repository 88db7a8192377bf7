// What pulling an image from ECR takes, once for the roles that pull (modules/identity) and the repository
// policies that let them (modules/sharing).

/** Read an image's manifest and layers; nothing that writes. */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;
